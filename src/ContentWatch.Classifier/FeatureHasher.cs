using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Tokenizers;

namespace ContentWatch.Classifier;

/// <summary>
/// Turns normalised text (<see cref="TextNormalizer"/>) into features, in plain C#, the same way at training and at
/// scoring time (<see cref="LinearScorer"/> reads the same word features through the model's word cache). Three blocks:
/// word 1–2-grams; character 1–4-grams of each word framed by begin/end markers (fastText style); and the o200k_base
/// sub-word token ids of each word (script-independent BPE, 200k vocabulary). Each feature is a 64-bit key, its block in
/// the top two bits and a seeded FNV-style hash (or the sub-word id) below, stable across processes and machines and, at
/// this vocabulary size, practically free of collisions. The <see cref="FeatureVocabulary"/> learnt on the training rows
/// gives each key seen in at least <see cref="MinDocumentFrequency"/> training texts its own index; a feature's value is
/// its sublinear tf (1 + ln count) times its inverse document frequency, L2-normalised within its block, and keys outside
/// the vocabulary are left out. A word's features depend only on the word (<see cref="WordFeaturesOf"/>); training reads
/// them through a bounded <see cref="WordCache{T}"/>, scoring through the model's. Thread-safe.
/// </summary>
internal static class FeatureHasher
{
    public const int Blocks = 3;
    public const int WordBlock = 0;
    public const int CharBlock = 1;
    public const int SubwordBlock = 2;
    public const int CharNgramLength = 4;

    /// <summary>Char n-grams and sub-words are read from pieces of at most this many characters of a word.</summary>
    public const int MaxWordChars = 64;

    /// <summary>A feature in fewer training texts than this stays out of the vocabulary (as scikit-learn's min_df): rare and unseen features add noise and, through the L2 norm, shrink the known ones.</summary>
    public const int MinDocumentFrequency = 2;

    /// <summary>The word cache stops growing at this many words (~20 MB; only a speed-up, results do not depend on it).</summary>
    public const int MaxCachedWords = 100_000;

    /// <summary>
    /// What the features are, recorded in the model metadata and part of the model version hash. The leading version
    /// number changes whenever <see cref="TextNormalizer"/> or the featurisation changes what a text turns into.
    /// </summary>
    public const string Description =
        "features v8: TextNormalizer (numbers as shapes, Latin diacritics folded, other scripts' sentence marks as punctuation, Greek accents and final sigma folded, concept-lexicon tokens); word 1-2-grams; per-word char 1-4-grams with markers and per-word o200k_base sub-word ids, both over 64-character pieces of longer words; 64-bit feature keys, a vocabulary of those in at least 2 training texts, one weight each; sublinear tf (1 + ln count) × train-split idf, each block L2-normalised";

    private const ulong KeyMask = (1UL << 62) - 1;
    private const ulong Seed = 14695981039346656037;
    private const ulong Prime = 1099511628211;
    private const int StepTableSize = 64;
    private const char BeginMarker = '\u0002';
    private const char EndMarker = '\u0003';

    /// <summary><see cref="Step"/> and <see cref="SquareStep"/> for small counts, computed once (the same values).</summary>
    private static readonly double[] Steps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeStep)];
    private static readonly double[] SquareSteps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeSquareStep)];

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Word features for training-time featurisation (vocabulary, feature vectors, traces); scoring uses the model's cache.</summary>
    private static readonly WordCache<WordFeatures> Words = new(MaxCachedWords, WordFeaturesOf);

    /// <summary>The o200k_base tokenizer (from the Microsoft.ML.Tokenizers.Data.O200kBase package).</summary>
    public static Tokenizer SubwordTokenizer => O200k.Value;

    /// <summary>The block (<see cref="WordBlock"/>, <see cref="CharBlock"/> or <see cref="SubwordBlock"/>) of a feature key.</summary>
    public static int BlockOf(ulong key) => (int)(key >> 62);

    /// <summary>True for the characters that separate words for the word n-grams; char n-grams still see them.</summary>
    public static bool IsWordSeparator(char c) => c switch
    {
        ' ' or '\n' or '\t' or '.' or ',' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '"' or '\''
            or '«' or '»' or '“' or '”' or '‘' or '’' or '/' or '\\' or '|' or '<' or '>' or '*' or '=' or '~' or '#' or '…'
            or '-' or '–' or '—' or '•' => true,
        _ => false,
    };

    /// <summary>
    /// The next word of <paramref name="text"/> at or after <paramref name="end"/>, as every walk over words reads it:
    /// false when none is left; otherwise it starts at <paramref name="start"/> and <paramref name="end"/> moves past it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NextWord(ReadOnlySpan<char> text, ref int end, out int start)
    {
        var i = end;
        while (i < text.Length && IsWordSeparator(text[i]))
        {
            i++;
        }

        start = i;
        while (i < text.Length && !IsWordSeparator(text[i]))
        {
            i++;
        }

        end = i;
        return i > start;
    }

    /// <summary>
    /// Swaps <paramref name="rented"/> (from the shared pool, its first <paramref name="used"/> items filled) for a
    /// bigger one when it holds fewer than <paramref name="needed"/>.
    /// </summary>
    public static void EnsureRented<T>(ref T[] rented, int used, int needed)
    {
        if (needed <= rented.Length)
        {
            return;
        }

        var bigger = ArrayPool<T>.Shared.Rent(needed * 2);
        rented.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(rented);
        rented = bigger;
    }

    /// <summary>Featurizes <paramref name="normalized"/> over <paramref name="vocabulary"/> (keys outside it are left out).</summary>
    public static SparseFeatures Featurize(string normalized, FeatureVocabulary vocabulary)
    {
        var trace = new List<FeatureOccurrence>(normalized.Length);
        Trace(normalized, trace);
        var raw = ArrayPool<int>.Shared.Rent(Math.Max(1, trace.Count));
        try
        {
            var count = 0;
            foreach (var o in trace)
            {
                if (vocabulary.IndexOf(o.Key) is var index and >= 0)
                {
                    raw[count++] = index;
                }
            }

            return ToSparse(raw.AsSpan(0, count), vocabulary);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(raw);
        }
    }

    /// <summary>
    /// Records every feature occurrence of <paramref name="normalized"/>, in text order, with the word (or word pair) it
    /// came from: its key, whether or not any vocabulary holds it.
    /// </summary>
    public static void Trace(string normalized, List<FeatureOccurrence> trace)
    {
        var previousHash = 0UL;
        var previousStart = -1;
        var i = 0;
        while (NextWord(normalized, ref i, out var start))
        {
            var word = Words.Get(normalized.AsSpan(start, i - start));
            for (var j = 0; j < word.Keys.Length; j++)
            {
                var kind = j == 0 ? FeatureKind.Word : BlockOf(word.Keys[j]) == CharBlock ? FeatureKind.Chars : FeatureKind.Subword;
                trace.Add(new FeatureOccurrence(word.Keys[j], kind, start, i - start));
            }

            if (previousStart >= 0)
            {
                trace.Add(new FeatureOccurrence(BigramKey(previousHash, word.Hash), FeatureKind.WordBigram, previousStart, i - previousStart));
            }

            previousHash = word.Hash;
            previousStart = start;
        }
    }

    /// <summary>The key of the word pair whose words hash to <paramref name="previousHash"/> and <paramref name="hash"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BigramKey(ulong previousHash, ulong hash) =>
        Key(WordBlock, Finish(((previousHash * 0x9E3779B97F4A7C15UL) ^ hash) + 0xD6E8FEB86659FD93UL));

    private static ulong Key(int block, ulong hash) => ((ulong)block << 62) | (hash & KeyMask);

    /// <summary>A word's own features: its unigram key, its char n-gram keys and its sub-word keys (computed, not cached).</summary>
    public static WordFeatures WordFeaturesOf(ReadOnlySpan<char> word)
    {
        var h = Seed;
        foreach (var c in word)
        {
            h = Mix(h, c);
        }

        h = Finish(h);
        var keys = new List<ulong>(16) { Key(WordBlock, h) };

        // A long "word" (Thai, Khmer or Chinese write whole phrases without spaces) is read in pieces of at most
        // MaxWordChars, so its char n-grams and sub-words cover all of it at a cost linear in its length.
        for (var from = 0; from < word.Length; from += MaxWordChars)
        {
            var part = word.Slice(from, Math.Min(MaxWordChars, word.Length - from));
            var framedLength = part.Length + 2;
            for (var s = 0; s < framedLength; s++)
            {
                var g = Seed ^ 0x85EBCA6B0F1A2B3CUL;
                for (var n = 1; n <= CharNgramLength && s + n <= framedLength; n++)
                {
                    var p = s + n - 1;
                    var c = p == 0 ? BeginMarker : p == framedLength - 1 ? EndMarker : part[p - 1];
                    g = Mix(g, c);
                    if (n > 1 || (s > 0 && s < framedLength - 1))
                    {
                        keys.Add(Key(CharBlock, Finish(g ^ (ulong)n)));
                    }
                }
            }

            foreach (var id in SubwordTokenizer.EncodeToIds(part.ToString(), considerPreTokenization: false, considerNormalization: false))
            {
                keys.Add(Key(SubwordBlock, (ulong)id));
            }
        }

        return new WordFeatures(h, [.. keys]);
    }

    /// <summary>Sorts the indices, counts repeats, weights each tf by its idf and L2-normalises within each block.</summary>
    private static SparseFeatures ToSparse(Span<int> raw, FeatureVocabulary vocabulary)
    {
        raw.Sort();
        var distinct = 0;
        for (var k = 0; k < raw.Length; k++)
        {
            distinct += k == 0 || raw[k] != raw[k - 1] ? 1 : 0;
        }

        var indices = new int[distinct];
        var values = new float[distinct];
        var d = -1;
        for (var k = 0; k < raw.Length; k++)
        {
            if (k == 0 || raw[k] != raw[k - 1])
            {
                indices[++d] = raw[k];
            }

            values[d]++;
        }

        Span<double> sumSquares = stackalloc double[Blocks];
        sumSquares.Clear();
        var idf = vocabulary.Idf;
        for (var k = 0; k < distinct; k++)
        {
            values[k] = (float)(Tf(values[k]) * idf[indices[k]]);
            sumSquares[vocabulary.BlockOf(indices[k])] += (double)values[k] * values[k];
        }

        Span<float> scale = stackalloc float[Blocks];
        for (var b = 0; b < Blocks; b++)
        {
            scale[b] = sumSquares[b] > 0 ? (float)(1.0 / Math.Sqrt(sumSquares[b])) : 0f;
        }

        for (var k = 0; k < distinct; k++)
        {
            values[k] *= scale[vocabulary.BlockOf(indices[k])];
        }

        return new SparseFeatures(indices, values);
    }

    /// <summary>A feature's value before normalisation for <paramref name="count"/> occurrences: 1 + ln count (sublinear tf), 0 for none.</summary>
    public static double Tf(double count) => count <= 0 ? 0 : 1 + Math.Log(count);

    /// <summary>How much a feature's value grows when its count goes from <paramref name="previous"/> to one more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(int previous) =>
        (uint)previous < StepTableSize ? Steps[previous] : ComputeStep(previous);

    /// <summary>How much a feature's squared value grows when its count goes from <paramref name="previous"/> to one more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SquareStep(int previous) =>
        (uint)previous < StepTableSize ? SquareSteps[previous] : ComputeSquareStep(previous);

    private static double ComputeStep(int previous) => previous == 0 ? 1 : Math.Log((previous + 1.0) / previous);

    private static double ComputeSquareStep(int previous)
    {
        if (previous == 0)
        {
            return 1;
        }

        double before = Tf(previous), after = Tf(previous + 1);
        return after * after - before * before;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h, char c) => (h ^ c) * Prime;

    /// <summary>The 64-bit finaliser of MurmurHash3 (fmix64): every input bit moves every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }
}

/// <summary>A word's cached features: its hash (for bigrams) and its feature keys (the unigram's first).</summary>
internal sealed record WordFeatures(ulong Hash, ulong[] Keys);

/// <summary>A sparse feature vector: ascending distinct indices of a <see cref="FeatureVocabulary"/> and their values.</summary>
internal readonly record struct SparseFeatures(int[] Indices, float[] Values);

internal enum FeatureKind
{
    Word,
    WordBigram,
    Chars,
    Subword,
}

/// <summary>One occurrence of a feature: its key and the range of normalised text it was read from.</summary>
internal readonly record struct FeatureOccurrence(ulong Key, FeatureKind Kind, int Start, int Length);
