using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.ML.Tokenizers;

namespace ContentWatch.Classifier;

/// <summary>
/// Turns normalised text (<see cref="TextNormalizer"/>) into a sparse feature vector, in plain C#, the same way at
/// training and at scoring time. Three blocks, each L2-normalised over its counts:
/// word 1–2-grams hashed into 2^<see cref="BlockBits"/> slots, character 1–4-grams (with begin/end markers) hashed
/// into 2^<see cref="BlockBits"/> slots, and o200k_base sub-word token ids (script-independent BPE, 200k vocabulary,
/// one slot per id). Hashes are seeded FNV-style mixes, stable across processes and machines.
/// Thread-safe; scratch buffers are rented per call.
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

    /// <summary>Sub-words are taken from at most this many characters of normalised text (long job ads stay fast).</summary>
    public const int MaxSubwordChars = 4_000;

    public const string Description =
        "TextNormalizer; word 1-2-grams hashed 2^18; char 1-4-grams hashed 2^18; o200k_base sub-word ids 2^18; each block L2-normalised";

    private const uint Seed = 2166136261;
    private const char BeginMarker = '\u0002';
    private const char EndMarker = '\u0003';

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

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

    /// <summary>Featurizes <paramref name="normalized"/>; returns indices (ascending, distinct) and values in the given buffer.</summary>
    public static SparseFeatures Featurize(string normalized)
    {
        var buffer = new FeatureBuffer();
        try
        {
            Collect(normalized, ref buffer, trace: null);
            return buffer.ToSparse();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>
    /// Featurizes and records, for every feature occurrence, where in <paramref name="normalized"/> it came from
    /// (for evidence). Slower than <see cref="Featurize"/>; used only for items that are explained.
    /// </summary>
    public static SparseFeatures Featurize(string normalized, List<FeatureOccurrence> trace)
    {
        var buffer = new FeatureBuffer();
        try
        {
            Collect(normalized, ref buffer, trace);
            return buffer.ToSparse();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static void Collect(string text, ref FeatureBuffer buffer, List<FeatureOccurrence>? trace)
    {
        // Block 1: word unigrams and bigrams.
        var previousHash = 0u;
        var previousStart = -1;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && IsWordSeparator(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var start = i;
            var h = Seed;
            while (i < text.Length && !IsWordSeparator(text[i]))
            {
                h = Mix(h, text[i]);
                i++;
            }

            h = Finish(h);
            buffer.Add(WordOffset + (int)(h & (BlockSize - 1)));
            trace?.Add(new FeatureOccurrence(buffer.LastIndex, FeatureKind.Word, start, i - start));
            if (previousStart >= 0)
            {
                var bigram = Finish(((previousHash * 0x9E3779B1u) ^ h) * 16777619u);
                buffer.Add(WordOffset + (int)(bigram & (BlockSize - 1)));
                trace?.Add(new FeatureOccurrence(buffer.LastIndex, FeatureKind.WordBigram, previousStart, i - previousStart));
            }

            previousHash = h;
            previousStart = start;
        }

        buffer.EndBlock();

        // Block 2: character 1–4-grams over the text framed by begin/end markers.
        var framedLength = text.Length + 2;
        for (var s = 0; s < framedLength; s++)
        {
            var h = Seed ^ 0x85EBCA6Bu;
            for (var n = 1; n <= CharNgramLength && s + n <= framedLength; n++)
            {
                var p = s + n - 1;
                var c = p == 0 ? BeginMarker : p == framedLength - 1 ? EndMarker : text[p - 1];
                h = Mix(h, c);
                buffer.Add(CharOffset + (int)(Finish(h ^ (uint)n) & (BlockSize - 1)));
                if (trace is not null)
                {
                    var from = Math.Max(0, s - 1);
                    trace.Add(new FeatureOccurrence(buffer.LastIndex, FeatureKind.Chars, from, Math.Max(0, Math.Min(text.Length, s - 1 + n) - from)));
                }
            }
        }

        buffer.EndBlock();

        // Block 3: o200k_base sub-word ids.
        var subwordText = text.Length > MaxSubwordChars ? text[..MaxSubwordChars] : text;
        if (trace is null)
        {
            foreach (var id in SubwordTokenizer.EncodeToIds(subwordText))
            {
                buffer.Add(SubwordOffset + (id & (BlockSize - 1)));
            }
        }
        else
        {
            foreach (var token in SubwordTokenizer.EncodeToTokens(subwordText, out _))
            {
                buffer.Add(SubwordOffset + (token.Id & (BlockSize - 1)));
                var (offset, length) = token.Offset.GetOffsetAndLength(subwordText.Length);
                trace.Add(new FeatureOccurrence(buffer.LastIndex, FeatureKind.Subword, offset, length));
            }
        }

        buffer.EndBlock();
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

    /// <summary>Collects feature ids per block, then sorts, counts and L2-normalises each block.</summary>
    private struct FeatureBuffer : IDisposable
    {
        private int[] _raw;
        private int _rawCount;
        private int _blockStart;
        private int[] _indices;
        private float[] _values;
        private int _count;

        public FeatureBuffer()
        {
            _raw = ArrayPool<int>.Shared.Rent(512);
            _indices = ArrayPool<int>.Shared.Rent(512);
            _values = ArrayPool<float>.Shared.Rent(512);
        }

        public readonly int LastIndex => _raw[_rawCount - 1];

        public void Add(int index)
        {
            if (_rawCount == _raw.Length)
            {
                Grow(ref _raw, _rawCount * 2);
            }

            _raw[_rawCount++] = index;
        }

        /// <summary>Turns the ids added since the last call into (index, count / ‖counts‖₂) pairs.</summary>
        public void EndBlock()
        {
            var block = _raw.AsSpan(_blockStart, _rawCount - _blockStart);
            if (block.IsEmpty)
            {
                return;
            }

            // Sort a copy so the raw list stays in order for LastIndex during tracing.
            var sorted = ArrayPool<int>.Shared.Rent(block.Length);
            try
            {
                block.CopyTo(sorted);
                var span = sorted.AsSpan(0, block.Length);
                span.Sort();
                var first = _count;
                var sumSquares = 0.0;
                var k = 0;
                while (k < span.Length)
                {
                    var id = span[k];
                    var run = 1;
                    while (k + run < span.Length && span[k + run] == id)
                    {
                        run++;
                    }

                    if (_count == _indices.Length)
                    {
                        Grow(ref _indices, _count * 2);
                        Grow(ref _values, _count * 2);
                    }

                    _indices[_count] = id;
                    _values[_count] = run;
                    _count++;
                    sumSquares += (double)run * run;
                    k += run;
                }

                var scale = (float)(1.0 / Math.Sqrt(sumSquares));
                for (var m = first; m < _count; m++)
                {
                    _values[m] *= scale;
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(sorted);
            }

            _blockStart = _rawCount;
        }

        public readonly SparseFeatures ToSparse() => new(_indices.AsSpan(0, _count).ToArray(), _values.AsSpan(0, _count).ToArray());

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_raw);
            ArrayPool<int>.Shared.Return(_indices);
            ArrayPool<float>.Shared.Return(_values);
        }

        private static void Grow<T>(ref T[] array, int size)
        {
            var bigger = ArrayPool<T>.Shared.Rent(size);
            array.AsSpan().CopyTo(bigger);
            ArrayPool<T>.Shared.Return(array);
            array = bigger;
        }
    }
}

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
