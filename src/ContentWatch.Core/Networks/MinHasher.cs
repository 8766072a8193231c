using System.Globalization;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace ContentWatch.Core.Networks;

/// <summary>
/// MinHash signatures of an item's text for near-duplicate search, language-independent: the text is shaped
/// (indicators become a mark of their type, every number a '#', case folded, whitespace collapsed, NFKC), cut into
/// character shingles of <see cref="ShingleLength"/>, each shingle hashed once with XxHash3 and then by
/// <see cref="SignatureLength"/> seeded 32-bit mixers; the signature keeps each mixer's minimum. The share of equal
/// positions in two signatures estimates the Jaccard similarity of their shingle sets. Thread-safe.
/// </summary>
public static class MinHasher
{
    public const int ShingleLength = 5;
    public const int SignatureLength = 128;

    private static readonly uint[] Seeds = MakeSeeds();

    /// <summary>The shaped text that shingles are cut from; two adverts that differ only in numbers and contacts shape alike.</summary>
    public static string Shape(string text, IReadOnlyList<IndicatorMatch> indicators)
    {
        var bounded = text.Length > IndicatorExtractor.MaxScanned ? text[..IndicatorExtractor.MaxScanned] : text;
        var marks = indicators.Where(m => m.Start + m.Length <= bounded.Length).OrderBy(m => m.Start).ToList();
        var builder = new StringBuilder(bounded.Length);
        var space = false;
        var next = 0;
        for (var i = 0; i < bounded.Length; i++)
        {
            while (next < marks.Count && marks[next].Start + marks[next].Length <= i)
            {
                next++;
            }

            if (next < marks.Count && marks[next].Start <= i)
            {
                // one mark per indicator: an e-mail, a handle or a phone written in any way shapes the same
                if (marks[next].Start == i)
                {
                    Append(builder, ref space, '§');
                    Append(builder, ref space, char.ToUpperInvariant(marks[next].Type[0]));
                }

                continue;
            }

            var c = bounded[i];
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
            }
            else if (CharUnicodeInfo.GetDecimalDigitValue(c) >= 0)
            {
                if (builder.Length == 0 || builder[^1] != '#' || space)
                {
                    Append(builder, ref space, '#');
                }
            }
            else if (!((c is '.' or ',' or '-') && i > 0 && i + 1 < bounded.Length && char.IsDigit(bounded[i - 1]) && char.IsDigit(bounded[i + 1])))
            {
                Append(builder, ref space, char.ToLowerInvariant(c));
            }
        }

        var shaped = builder.ToString();
        return shaped.IsNormalized(NormalizationForm.FormKC) ? shaped : shaped.Normalize(NormalizationForm.FormKC);
    }

    private static void Append(StringBuilder builder, ref bool space, char c)
    {
        if (space)
        {
            builder.Append(' ');
            space = false;
        }

        builder.Append(c);
    }

    /// <summary>The signature of a shaped text (<see cref="SignatureLength"/> minimums). An empty text has all positions at the maximum.</summary>
    public static uint[] Signature(string shaped)
    {
        var mins = new uint[SignatureLength];
        Array.Fill(mins, uint.MaxValue);
        var chars = MemoryMarshal.AsBytes(shaped.AsSpan());
        var shingleBytes = ShingleLength * sizeof(char);
        if (chars.Length == 0)
        {
            return mins;
        }

        var seeds = MemoryMarshal.Cast<uint, Vector<uint>>(Seeds.AsSpan());
        var minimums = MemoryMarshal.Cast<uint, Vector<uint>>(mins.AsSpan());
        var count = Math.Max(1, (chars.Length - shingleBytes) / sizeof(char) + 1);
        for (var s = 0; s < count; s++)
        {
            var shingle = chars.Slice(s * sizeof(char), Math.Min(shingleBytes, chars.Length - s * sizeof(char)));
            var x = new Vector<uint>((uint)XxHash3.HashToUInt64(shingle));
            for (var v = 0; v < minimums.Length; v++)
            {
                minimums[v] = Vector.Min(minimums[v], Mix(x ^ seeds[v]));
            }
        }

        return mins;
    }

    /// <summary>The share of equal positions: the estimated Jaccard similarity of the two shingle sets.</summary>
    public static double Similarity(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return (double)equal / a.Length;
    }

    /// <summary>
    /// The LSH band keys of a signature: band b hashes positions b·rows to (b+1)·rows − 1 with seed b, so two items
    /// share a key in a band exactly when their signatures agree on the whole band (up to 64-bit collisions).
    /// </summary>
    public static long[] BandKeys(ReadOnlySpan<uint> signature, int bands, int rows)
    {
        if (bands * rows > signature.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bands), $"{bands} bands of {rows} rows need more than {signature.Length} positions.");
        }

        var keys = new long[bands];
        for (var b = 0; b < bands; b++)
        {
            keys[b] = (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(b * rows, rows)), seed: b);
        }

        return keys;
    }

    public static byte[] ToBytes(uint[] signature) => MemoryMarshal.AsBytes(signature.AsSpan()).ToArray();

    public static uint[] FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, uint>(bytes).ToArray();

    /// <summary>MurmurHash3's 32-bit finaliser, lane by lane.</summary>
    private static Vector<uint> Mix(Vector<uint> h)
    {
        h ^= h >>> 16;
        h *= 0x85ebca6bu;
        h ^= h >>> 13;
        h *= 0xc2b2ae35u;
        h ^= h >>> 16;
        return h;
    }

    private static uint[] MakeSeeds()
    {
        // fixed seeds: signatures stored in the database must stay comparable across versions and processes
        var seeds = new uint[SignatureLength];
        var state = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < seeds.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            seeds[i] = (uint)(z ^ (z >> 31));
        }

        return seeds;
    }
}
