using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Tokenizers;

namespace ContentWatch.Classifier;

/// <summary>
/// Turns normalised text (<see cref="TextNormalizer"/>) into a sparse feature vector, in plain C#, the same way at
/// training and at scoring time. Three blocks; a feature's value is its sublinear tf (1 + ln count) times its
/// inverse document frequency on the training rows (stored in the model), L2-normalised within its block:
/// word 1–2-grams hashed into 2^<see cref="BlockBits"/> slots; character 1–4-grams of each word framed by begin/end
/// markers (fastText style) hashed into 2^<see cref="BlockBits"/> slots; and the o200k_base sub-word token ids of each
/// word (script-independent BPE, 200k vocabulary, one slot per id). Hashes are seeded FNV-style mixes, stable across
/// processes and machines. A word's features depend only on the word, so they are computed once and cached
/// (bounded); scoring a text is then mostly look-ups. Thread-safe.
/// </summary>
internal static class Featurizer
{
    public const int BlockBits = 18;
    public const int BlockSize = 1 << BlockBits;
    public const int WordOffset = 0;
    public const int CharOffset = BlockSize;
    public const int SubwordOffset = 2 * BlockSize;
    public const int Dimension = 3 * BlockSize;
    public const int CharNgramLength = 4;

    /// <summary>Char n-grams and sub-words are read from at most this many characters of a word.</summary>
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
        "features v5: TextNormalizer (numbers as shapes, concept-lexicon tokens); word 1-2-grams hashed 2^18; per-word char 1-4-grams with markers hashed 2^18; per-word o200k_base sub-word ids 2^18; sublinear tf (1 + ln count) × train-split idf (0 below 2 training texts), each block L2-normalised";

    private const uint Seed = 2166136261;
    private const int StepTableSize = 64;
    private const char BeginMarker = '\u0002';
    private const char EndMarker = '\u0003';

    /// <summary><see cref="Step"/> and <see cref="SquareStep"/> for small counts, computed once (the same values).</summary>
    private static readonly double[] Steps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeStep)];
    private static readonly double[] SquareSteps = [.. Enumerable.Range(0, StepTableSize).Select(ComputeSquareStep)];

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly ConcurrentDictionary<string, WordFeatures> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, WordFeatures>.AlternateLookup<ReadOnlySpan<char>> CacheBySpan =
        Cache.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Words added to <see cref="Cache"/> (its own Count takes every lock of the dictionary, too slow per miss).</summary>
    private static int _cachedWords;

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
    /// </summary>
    public static float[] InverseDocumentFrequencies(IReadOnlyList<string> normalizedTexts)
    {
        var df = new int[Dimension];
        var trace = new List<FeatureOccurrence>();
        var seen = new HashSet<int>();
        foreach (var text in normalizedTexts)
        {
            trace.Clear();
            seen.Clear();
            Trace(text, trace);
            foreach (var o in trace)
            {
                if (seen.Add(o.Index))
                {
                    df[o.Index]++;
                }
            }
        }

        var idf = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            idf[i] = df[i] < MinDocumentFrequency ? 0f : (float)(Math.Log((1.0 + normalizedTexts.Count) / (1.0 + df[i])) + 1);
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
                var word = Lookup(normalized.AsSpan(start, i - start));
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

    /// <summary>
    /// Scores <paramref name="normalized"/> with <paramref name="model"/> without building the feature vector: each
    /// occurrence adds its weights to its block's logits, and a small per-thread count table gives each block's
    /// L2 norm (Σ count² grows by 2c + 1 when a count goes from c to c + 1). Same result as
    /// <see cref="LinearModel.Predict"/> over <see cref="Featurize(string, float[])"/>, up to float rounding.
    /// </summary>
    public static void Score(string normalized, LinearModel model, Span<float> probabilities)
    {
        if (model.Classes == 4 && Avx.IsSupported)
        {
            var sums = new FourClassSums();
            if (Accumulate(normalized, model, ref sums))
            {
                Finish(model, ref sums, probabilities);
                return;
            }
        }
        else
        {
            var sums = new ClassSums(model.Classes);
            if (Accumulate(normalized, model, ref sums))
            {
                Finish(model, ref sums, probabilities);
                return;
            }
        }

        // More distinct features than the count table holds (a very long text).
        model.Predict(Featurize(normalized, model.Idf), probabilities);
    }

    /// <summary>Adds every feature occurrence of <paramref name="normalized"/> to <paramref name="sums"/>, in text order; false when the count table is full.</summary>
    private static bool Accumulate<T>(string normalized, LinearModel model, ref T sums)
        where T : struct, IBlockSums
    {
        var table = CountTable.ForThisThread();
        table.Reset();
        var stride = model.Classes + 1;
        var previousHash = 0u;
        var hasPrevious = false;
        var i = 0;
        while (NextWord(normalized, ref i, out var start))
        {
            var word = model.Word(normalized.AsSpan(start, i - start));
            var ids = word.Ids;
            var rows = word.Rows;
            for (var j = 0; j < ids.Length; j++)
            {
                var previous = table.Increment(ids[j]);
                if (previous < 0)
                {
                    return false;
                }

                sums.Add(ids[j] >> BlockBits, rows.AsSpan(j * stride, stride), previous);
            }

            if (hasPrevious)
            {
                var bigram = Bigram(previousHash, word.Hash);
                var previous = table.Increment(bigram);
                if (previous < 0)
                {
                    return false;
                }

                sums.Add(bigram >> BlockBits, model.Row(bigram), previous);
            }

            previousHash = word.Hash;
            hasPrevious = true;
        }

        return true;
    }

    /// <summary>Biases plus each block's logits scaled by its 1/L2 norm (rounded to float, as the feature values are), then softmax.</summary>
    private static void Finish<T>(LinearModel model, ref T sums, Span<float> probabilities)
        where T : struct, IBlockSums
    {
        Span<double> logits = stackalloc double[model.Classes];
        model.Biases(logits);
        for (var b = 0; b < 3; b++)
        {
            var sumSquares = sums.SumSquares(b);
            if (sumSquares > 0)
            {
                sums.AddScaled(b, (float)(1.0 / Math.Sqrt(sumSquares)), logits);
            }
        }

        LinearModel.Softmax(logits, probabilities);
    }

    internal static int Bigram(uint previousHash, uint hash) =>
        WordOffset + (int)(Finish(((previousHash * 0x9E3779B1u) ^ hash) * 16777619u) & (BlockSize - 1));

    private static FeatureKind KindOf(int id) => (id >> BlockBits) switch
    {
        0 => FeatureKind.Word,
        1 => FeatureKind.Chars,
        _ => FeatureKind.Subword,
    };

    /// <summary>A word's features from the cache, or computed without adding them to it (for the models' own word caches).</summary>
    public static WordFeatures WordFeaturesOf(ReadOnlySpan<char> word) =>
        CacheBySpan.TryGetValue(word, out var cached) ? cached : Compute(word);

    private static WordFeatures Lookup(ReadOnlySpan<char> word)
    {
        if (CacheBySpan.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var computed = Compute(word);
        if (Volatile.Read(ref _cachedWords) < MaxCachedWords && CacheBySpan.TryAdd(word, computed))
        {
            Interlocked.Increment(ref _cachedWords);
        }

        return computed;
    }

    /// <summary>A word's own features: its unigram slot, its char n-gram slots and its sub-word ids.</summary>
    private static WordFeatures Compute(ReadOnlySpan<char> word)
    {
        var h = Seed;
        foreach (var c in word)
        {
            h = Mix(h, c);
        }

        h = Finish(h);
        var ids = new List<int>(16) { WordOffset + (int)(h & (BlockSize - 1)) };

        var part = word.Length > MaxWordChars ? word[..MaxWordChars] : word;
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

/// <summary>
/// Open-addressing counter of feature ids for <see cref="Featurizer.Score"/>, one per thread; slots are invalidated by
/// bumping a generation number instead of clearing.
/// </summary>
internal sealed class CountTable
{
    private const int Slots = 1 << 13;
    private const int MaxDistinct = Slots / 2;

    [ThreadStatic]
    private static CountTable? _current;

    private readonly Entry[] _entries = new Entry[Slots];
    private int _generation;
    private int _distinct;

    public static CountTable ForThisThread() => _current ??= new CountTable();

    public void Reset()
    {
        _distinct = 0;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_entries);
            _generation = 1;
        }
    }

    /// <summary>Adds one to the count of <paramref name="id"/> and returns the count before; −1 when the table is full.</summary>
    public int Increment(int id)
    {
        var slot = (int)(((uint)id * 0x9E3779B1u) >> 19);
        while (true)
        {
            ref var entry = ref _entries[slot];
            if (entry.Generation != _generation)
            {
                if (_distinct == MaxDistinct)
                {
                    return -1;
                }

                entry.Generation = _generation;
                entry.Key = id;
                entry.Count = 1;
                _distinct++;
                return 0;
            }

            if (entry.Key == id)
            {
                return entry.Count++;
            }

            slot = (slot + 1) & (Slots - 1);
        }
    }

    /// <summary>The counts so far, for counting on in a dictionary when the table is full.</summary>
    public Dictionary<int, int> ToDictionary()
    {
        var counts = new Dictionary<int, int>(_distinct * 2);
        foreach (var entry in _entries)
        {
            if (entry.Generation == _generation)
            {
                counts[entry.Key] = entry.Count;
            }
        }

        return counts;
    }

    /// <summary>One slot: key, count and the generation that made them valid, side by side.</summary>
    private struct Entry
    {
        public int Key;
        public int Count;
        public int Generation;
    }
}

/// <summary>
/// Per block (word, chars, sub-words) of one text: Σ idf × tf step × class weights over the occurrences, and the
/// block's Σ value² (<see cref="LinearModel.AddOccurrence(ReadOnlySpan{float}, int, Span{double})"/>), added in text order.
/// </summary>
internal interface IBlockSums
{
    /// <summary>Adds one occurrence of a feature of <paramref name="block"/> with row <paramref name="row"/>, seen <paramref name="previous"/> times before.</summary>
    void Add(int block, ReadOnlySpan<float> row, int previous);

    double SumSquares(int block);

    /// <summary>Adds <paramref name="scale"/> × the block's class sums to <paramref name="logits"/>.</summary>
    void AddScaled(int block, double scale, Span<double> logits);
}

/// <summary><see cref="IBlockSums"/> for any number of classes.</summary>
internal readonly struct ClassSums(int classes) : IBlockSums
{
    private readonly double[] _logits = new double[3 * classes];
    private readonly double[] _squares = new double[3];

    public void Add(int block, ReadOnlySpan<float> row, int previous) =>
        _squares[block] += LinearModel.AddOccurrence(row, previous, _logits.AsSpan(block * classes, classes));

    public double SumSquares(int block) => _squares[block];

    public void AddScaled(int block, double scale, Span<double> logits)
    {
        for (var c = 0; c < classes; c++)
        {
            logits[c] += scale * _logits[block * classes + c];
        }
    }
}

/// <summary>
/// <see cref="IBlockSums"/> for four classes, one AVX vector of four doubles per block: each lane does what
/// <see cref="LinearModel.AddOccurrence(ReadOnlySpan{float}, int, Span{double})"/> does (the float weight widened, one
/// multiply, one add, no fused multiply-add), so the sums are the same to the bit.
/// </summary>
internal struct FourClassSums : IBlockSums
{
    private Vector256<double> _word;
    private Vector256<double> _chars;
    private Vector256<double> _subwords;
    private double _wordSquares;
    private double _charSquares;
    private double _subwordSquares;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int block, ReadOnlySpan<float> row, int previous)
    {
        double idf = row[4], factor = idf * Featurizer.Step(previous);
        var add = Vector256.Create(factor) * Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(row)));
        var square = idf * idf * Featurizer.SquareStep(previous);
        switch (block)
        {
            case 0:
                _word += add;
                _wordSquares += square;
                break;
            case 1:
                _chars += add;
                _charSquares += square;
                break;
            default:
                _subwords += add;
                _subwordSquares += square;
                break;
        }
    }

    public readonly double SumSquares(int block) => block switch
    {
        0 => _wordSquares,
        1 => _charSquares,
        _ => _subwordSquares,
    };

    public readonly void AddScaled(int block, double scale, Span<double> logits)
    {
        var sums = block switch
        {
            0 => _word,
            1 => _chars,
            _ => _subwords,
        };
        for (var c = 0; c < 4; c++)
        {
            logits[c] += scale * sums.GetElement(c);
        }
    }
}

/// <summary>A word's cached features: its hash (for bigrams) and its feature ids.</summary>
internal sealed record WordFeatures(uint Hash, int[] Ids);

/// <summary>A sparse feature vector: ascending distinct indices below <see cref="Featurizer.Dimension"/> and their values.</summary>
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
