using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Tokenizers;

namespace ContentWatch.Classifier;

/// <summary>
/// Turns normalised text (<see cref="TextNormalizer"/>) into hashed features, in plain C#, the same way at training and
/// at scoring time (<see cref="LinearScorer"/> reads the same word features through the model's word cache). Three blocks; a feature's value is its sublinear tf (1 + ln count) times its
/// inverse document frequency on the training rows (stored in the model), L2-normalised within its block:
/// word 1–2-grams hashed into 2^<see cref="BlockBits"/> slots; character 1–4-grams of each word framed by begin/end
/// markers (fastText style) hashed into 2^<see cref="BlockBits"/> slots; and the o200k_base sub-word token ids of each
/// word (script-independent BPE, 200k vocabulary, one slot per id). Hashes are seeded FNV-style mixes, stable across
/// processes and machines. A word's features depend only on the word (<see cref="WordFeaturesOf"/>); training reads
/// them through a bounded <see cref="WordCache{T}"/>, scoring through the model's. Thread-safe.
/// </summary>
internal static class FeatureHasher
{
    public const int BlockBits = 18;
    public const int BlockSize = 1 << BlockBits;
    public const int WordOffset = 0;
    public const int CharOffset = BlockSize;
    public const int SubwordOffset = 2 * BlockSize;
    public const int Dimension = 3 * BlockSize;
    public const int CharNgramLength = 4;

    /// <summary>Char n-grams and sub-words are read from pieces of at most this many characters of a word.</summary>
    public const int MaxWordChars = 64;

    /// <summary>A feature in fewer training texts than this gets idf 0 (as scikit-learn's min_df): rare and unseen features add noise and, through the L2 norm, shrink the known ones.</summary>
    public const int MinDocumentFrequency = 2;

    /// <summary>The word cache stops growing at this many words (~20 MB; only a speed-up, results do not depend on it).</summary>
    public const int MaxCachedWords = 100_000;

    /// <summary>
    /// What the features are, recorded in the model metadata and part of the model version hash. The leading version
    /// number changes whenever <see cref="TextNormalizer"/> or the featurisation changes what a text turns into.
    /// </summary>
    public const string Description =
        "features v6: TextNormalizer (numbers as shapes, Latin diacritics folded, concept-lexicon tokens); word 1-2-grams hashed 2^18; per-word char 1-4-grams with markers hashed 2^18 and per-word o200k_base sub-word ids 2^18, both over 64-character pieces of longer words; sublinear tf (1 + ln count) × train-split idf (0 below 2 training texts), each block L2-normalised";

    private const uint Seed = 2166136261;
    private const int StepTableSize = 64;
    private const char BeginMarker = '\u0002';
    private const char EndMarker = '\u0003';

    /// <summary><see cref="Step"/> and <see cref="SquareStep"/> for small counts, computed once (the same values).</summary>
    private static readonly double[] Steps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeStep)];
    private static readonly double[] SquareSteps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeSquareStep)];

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Word features for training-time featurisation (idf, feature vectors, traces); scoring uses the model's cache.</summary>
    private static readonly WordCache<WordFeatures> Words = new(MaxCachedWords, WordFeaturesOf);

    /// <summary>The o200k_base tokenizer (from the Microsoft.ML.Tokenizers.Data.O200kBase package).</summary>
    public static Tokenizer SubwordTokenizer => O200k.Value;

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

    /// <summary>Featurizes <paramref name="normalized"/>, each feature's tf weighted by its <paramref name="idf"/> entry.</summary>
    public static SparseFeatures Featurize(string normalized, float[] idf) => Walk(normalized, trace: null, idf);

    /// <summary>
    /// Smoothed inverse document frequencies over <paramref name="normalizedTexts"/>, one per feature:
    /// ln((1 + n) / (1 + df)) + 1, as scikit-learn's <c>TfidfVectorizer(smooth_idf=True)</c>. Features never seen get the largest value.
    /// With <paramref name="groups"/> (one per text: its writer, or its public source), a feature found in texts of fewer
    /// than <paramref name="minGroups"/> groups gets idf 0 too: a word only one writer uses is that writer's style, not a
    /// sign of what an advert is.
    /// </summary>
    public static float[] InverseDocumentFrequencies(IReadOnlyList<string> normalizedTexts, IReadOnlyList<string>? groups = null, int minGroups = 1)
    {
        if (groups is not null && groups.Count != normalizedTexts.Count)
        {
            throw new ArgumentException("One group per text.", nameof(groups));
        }

        var df = new int[Dimension];
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupBits = minGroups > 1 ? new ulong[Dimension] : null;
        var trace = new List<FeatureOccurrence>();
        var seen = new HashSet<int>();
        for (var t = 0; t < normalizedTexts.Count; t++)
        {
            trace.Clear();
            seen.Clear();
            Trace(normalizedTexts[t], trace);

            // Up to 64 groups are told apart exactly; beyond that, groups share bits, which only keeps more features.
            var bit = 0ul;
            if (groupBits is not null)
            {
                if (!groupIndex.TryGetValue(groups![t], out var g))
                {
                    groupIndex[groups[t]] = g = groupIndex.Count;
                }

                bit = 1ul << (g & 63);
            }

            foreach (var o in trace)
            {
                if (seen.Add(o.Index))
                {
                    df[o.Index]++;
                    if (groupBits is not null)
                    {
                        groupBits[o.Index] |= bit;
                    }
                }
            }
        }

        var idf = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            var rare = df[i] < MinDocumentFrequency || (groupBits is not null && ulong.PopCount(groupBits[i]) < (ulong)minGroups);
            idf[i] = rare ? 0f : (float)(Math.Log((1.0 + normalizedTexts.Count) / (1.0 + df[i])) + 1);
        }

        return idf;
    }

    /// <summary>
    /// Records for every feature occurrence of <paramref name="normalized"/> which word (or word pair) it came from,
    /// in text order, without building the vector (for evidence).
    /// </summary>
    public static void Trace(string normalized, List<FeatureOccurrence> trace) => Walk(normalized, trace, idf: null);

    /// <summary>Walks the words of <paramref name="normalized"/>, tracing occurrences; builds the vector when <paramref name="idf"/> is given.</summary>
    private static SparseFeatures Walk(string normalized, List<FeatureOccurrence>? trace, float[]? idf)
    {
        var raw = ArrayPool<int>.Shared.Rent(Math.Max(64, normalized.Length * 4));
        var count = 0;
        try
        {
            var previousHash = 0u;
            var previousStart = -1;
            var i = 0;
            while (NextWord(normalized, ref i, out var start))
            {
                var word = Words.Get(normalized.AsSpan(start, i - start));
                EnsureRented(ref raw, count, count + word.Ids.Length + 1);

                word.Ids.CopyTo(raw, count);
                count += word.Ids.Length;
                if (trace is not null)
                {
                    foreach (var id in word.Ids)
                    {
                        trace.Add(new FeatureOccurrence(id, KindOf(id), start, i - start));
                    }
                }

                if (previousStart >= 0)
                {
                    var bigram = Bigram(previousHash, word.Hash);
                    raw[count++] = bigram;
                    trace?.Add(new FeatureOccurrence(bigram, FeatureKind.WordBigram, previousStart, i - previousStart));
                }

                previousHash = word.Hash;
                previousStart = start;
            }

            return idf is null ? default : ToSparse(raw.AsSpan(0, count), idf);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(raw);
        }
    }

    public static int Bigram(uint previousHash, uint hash) =>
        WordOffset + (int)(Finish(((previousHash * 0x9E3779B1u) ^ hash) * 16777619u) & (BlockSize - 1));

    private static FeatureKind KindOf(int id) => (id >> BlockBits) switch
    {
        0 => FeatureKind.Word,
        1 => FeatureKind.Chars,
        _ => FeatureKind.Subword,
    };

    /// <summary>A word's own features: its unigram slot, its char n-gram slots and its sub-word ids (computed, not cached).</summary>
    public static WordFeatures WordFeaturesOf(ReadOnlySpan<char> word)
    {
        var h = Seed;
        foreach (var c in word)
        {
            h = Mix(h, c);
        }

        h = Finish(h);
        var ids = new List<int>(16) { WordOffset + (int)(h & (BlockSize - 1)) };

        // A long "word" (Thai, Khmer or Chinese write whole phrases without spaces) is read in pieces of at most
        // MaxWordChars, so its char n-grams and sub-words cover all of it at a cost linear in its length.
        for (var from = 0; from < word.Length; from += MaxWordChars)
        {
            var part = word.Slice(from, Math.Min(MaxWordChars, word.Length - from));
            var framedLength = part.Length + 2;
            for (var s = 0; s < framedLength; s++)
            {
                var g = Seed ^ 0x85EBCA6Bu;
                for (var n = 1; n <= CharNgramLength && s + n <= framedLength; n++)
                {
                    var p = s + n - 1;
                    var c = p == 0 ? BeginMarker : p == framedLength - 1 ? EndMarker : part[p - 1];
                    g = Mix(g, c);
                    if (n > 1 || (s > 0 && s < framedLength - 1))
                    {
                        ids.Add(CharOffset + (int)(Finish(g ^ (uint)n) & (BlockSize - 1)));
                    }
                }
            }

            foreach (var id in SubwordTokenizer.EncodeToIds(part.ToString(), considerPreTokenization: false, considerNormalization: false))
            {
                ids.Add(SubwordOffset + (id & (BlockSize - 1)));
            }
        }

        return new WordFeatures(h, [.. ids]);
    }

    /// <summary>Sorts the ids, counts repeats, weights each tf by its idf and L2-normalises within each block.</summary>
    private static SparseFeatures ToSparse(Span<int> raw, float[] idf)
    {
        raw.Sort();
        var distinct = 0;
        for (var k = 0; k < raw.Length; k++)
        {
            distinct += k == 0 || raw[k] != raw[k - 1] ? 1 : 0;
        }

        var indices = new int[distinct];
        var values = new float[distinct];
        Span<double> sumSquares = stackalloc double[3];
        var d = -1;
        for (var k = 0; k < raw.Length; k++)
        {
            if (k == 0 || raw[k] != raw[k - 1])
            {
                indices[++d] = raw[k];
            }

            values[d]++;
        }

        for (var k = 0; k < distinct; k++)
        {
            values[k] = (float)(Tf(values[k]) * idf[indices[k]]);
        }

        for (var k = 0; k < distinct; k++)
        {
            sumSquares[indices[k] >> BlockBits] += (double)values[k] * values[k];
        }

        Span<float> scale = stackalloc float[3];
        for (var b = 0; b < 3; b++)
        {
            scale[b] = sumSquares[b] > 0 ? (float)(1.0 / Math.Sqrt(sumSquares[b])) : 0f;
        }

        for (var k = 0; k < distinct; k++)
        {
            values[k] *= scale[indices[k] >> BlockBits];
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
    private static uint Mix(uint h, char c) => (h ^ c) * 16777619u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }
}

/// <summary>A word's cached features: its hash (for bigrams) and its feature ids.</summary>
internal sealed record WordFeatures(uint Hash, int[] Ids);

/// <summary>A sparse feature vector: ascending distinct indices below <see cref="FeatureHasher.Dimension"/> and their values.</summary>
internal readonly record struct SparseFeatures(int[] Indices, float[] Values);

internal enum FeatureKind
{
    Word,
    WordBigram,
    Chars,
    Subword,
}

/// <summary>One occurrence of a feature: its index and the range of normalised text it was read from.</summary>
internal readonly record struct FeatureOccurrence(int Index, FeatureKind Kind, int Start, int Length);
