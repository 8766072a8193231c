using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ContentWatch.Classifier;

/// <summary>
/// Scores normalised text with a <see cref="LinearModel"/> without building the feature vector: each occurrence of a
/// feature the model knows (read through the model's word cache) adds its idf × tf step × class weights to its block's logits, and a
/// small per-thread count table gives each block's L2 norm. Same result as <see cref="LinearModel.Predict"/> over
/// <see cref="FeatureHasher.Featurize(string, FeatureVocabulary)"/>, up to float rounding. Thread-safe.
/// </summary>
internal static class LinearScorer
{
    /// <summary>Writes the class probabilities of <paramref name="normalized"/> into <paramref name="probabilities"/>.</summary>
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
        model.Predict(FeatureHasher.Featurize(normalized, model.Vocabulary), probabilities);
    }

    /// <summary>Adds every feature occurrence of <paramref name="normalized"/> to <paramref name="sums"/>, in text order; false when the count table is full.</summary>
    private static bool Accumulate<T>(string normalized, LinearModel model, ref T sums)
        where T : struct, IBlockSums
    {
        var table = CountTable.ForThisThread();
        table.Reset();
        var stride = model.Classes + 1;
        var vocabulary = model.Vocabulary;
        var previousHash = 0UL;
        var hasPrevious = false;
        var i = 0;
        while (FeatureHasher.NextWord(normalized, ref i, out var start))
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

                sums.Add(vocabulary.BlockOf(ids[j]), rows.AsSpan(j * stride, stride), previous);
            }

            if (hasPrevious && model.Bigram(previousHash, word.Hash) is var bigram and >= 0)
            {
                var previous = table.Increment(bigram);
                if (previous < 0)
                {
                    return false;
                }

                sums.Add(FeatureHasher.WordBlock, model.Row(bigram), previous);
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
        for (var b = 0; b < FeatureHasher.Blocks; b++)
        {
            var sumSquares = sums.SumSquares(b);
            if (sumSquares > 0)
            {
                sums.AddScaled(b, (float)(1.0 / Math.Sqrt(sumSquares)), logits);
            }
        }

        LinearModel.Softmax(logits, probabilities);
    }
}

/// <summary>
/// Open-addressing counter of feature ids for <see cref="LinearScorer.Score"/>, one per thread; slots are invalidated by
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
    private readonly double[] _logits = new double[FeatureHasher.Blocks * classes];
    private readonly double[] _squares = new double[FeatureHasher.Blocks];

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
        double idf = row[4], factor = idf * FeatureHasher.Step(previous);
        var add = Vector256.Create(factor) * Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(row)));
        var square = idf * idf * FeatureHasher.SquareStep(previous);
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
