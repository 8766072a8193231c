using System.Runtime.InteropServices;

namespace ContentWatch.Classifier;

/// <summary>
/// The features a model knows: the <see cref="FeatureHasher"/> keys seen in enough training texts, in ascending key order
/// (so grouped by block), each with its index and its inverse document frequency. Features outside it carry no weight.
/// Learnt on the training rows (<see cref="Learn"/>) and stored in the model. Immutable and thread-safe.
/// </summary>
internal sealed class FeatureVocabulary
{
    private readonly Dictionary<ulong, int> _index;
    private readonly int _charStart;
    private readonly int _subwordStart;

    /// <param name="keys">Distinct feature keys in ascending order.</param>
    /// <param name="idf">Each key's inverse document frequency: finite and positive.</param>
    public FeatureVocabulary(ulong[] keys, float[] idf)
    {
        if (keys.Length != idf.Length)
        {
            throw new ArgumentException("One idf per key.", nameof(idf));
        }

        _index = new Dictionary<ulong, int>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            if (i > 0 && keys[i] <= keys[i - 1])
            {
                throw new ArgumentException("Feature keys must be distinct and ascending.", nameof(keys));
            }

            if (!float.IsFinite(idf[i]) || idf[i] <= 0)
            {
                throw new ArgumentException("Idf values must be finite and positive.", nameof(idf));
            }

            _index[keys[i]] = i;
        }

        Keys = keys;
        Idf = idf;
        _charStart = FirstOfBlock(FeatureHasher.CharBlock);
        _subwordStart = FirstOfBlock(FeatureHasher.SubwordBlock);
    }

    /// <summary>The keys, ascending; a feature's index is its position here.</summary>
    public ulong[] Keys { get; }

    /// <summary>Each feature's idf, by index: ln((1 + n) / (1 + df)) + 1 over the n training texts.</summary>
    public float[] Idf { get; }

    public int Count => Keys.Length;

    /// <summary>The index of <paramref name="key"/>, or −1 when the vocabulary does not hold it.</summary>
    public int IndexOf(ulong key) => _index.TryGetValue(key, out var index) ? index : -1;

    /// <summary>The block of feature <paramref name="index"/> (<see cref="FeatureHasher.WordBlock"/>, <see cref="FeatureHasher.CharBlock"/> or <see cref="FeatureHasher.SubwordBlock"/>).</summary>
    public int BlockOf(int index) => index < _charStart ? FeatureHasher.WordBlock : index < _subwordStart ? FeatureHasher.CharBlock : FeatureHasher.SubwordBlock;

    /// <summary>
    /// The vocabulary of <paramref name="normalizedTexts"/>: every key in at least <see cref="FeatureHasher.MinDocumentFrequency"/>
    /// texts, with the smoothed idf ln((1 + n) / (1 + df)) + 1 of scikit-learn's <c>TfidfVectorizer(smooth_idf=True)</c>.
    /// With <paramref name="groups"/> (one per text: its writer, or its public source), a key must also be found in texts
    /// of at least <paramref name="minGroups"/> groups: a word only one writer uses is that writer's style, not a sign of
    /// what an advert is.
    /// </summary>
    public static FeatureVocabulary Learn(IReadOnlyList<string> normalizedTexts, IReadOnlyList<string>? groups = null, int minGroups = 1)
    {
        if (groups is not null && groups.Count != normalizedTexts.Count)
        {
            throw new ArgumentException("One group per text.", nameof(groups));
        }

        var counts = new Dictionary<ulong, (int Df, ulong Groups)>();
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var trace = new List<FeatureOccurrence>();
        var seen = new HashSet<ulong>();
        for (var t = 0; t < normalizedTexts.Count; t++)
        {
            trace.Clear();
            seen.Clear();
            FeatureHasher.Trace(normalizedTexts[t], trace);

            // Up to 64 groups are told apart exactly; beyond that, groups share bits, which only keeps more features.
            var bit = 0UL;
            if (minGroups > 1)
            {
                if (!groupIndex.TryGetValue(groups![t], out var g))
                {
                    groupIndex[groups[t]] = g = groupIndex.Count;
                }

                bit = 1UL << (g & 63);
            }

            foreach (var o in trace)
            {
                if (seen.Add(o.Key))
                {
                    ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, o.Key, out _);
                    count = (count.Df + 1, count.Groups | bit);
                }
            }
        }

        var kept = counts
            .Where(c => c.Value.Df >= FeatureHasher.MinDocumentFrequency && (minGroups <= 1 || ulong.PopCount(c.Value.Groups) >= (ulong)minGroups))
            .Select(c => c.Key)
            .Order()
            .ToArray();
        var idf = kept.Select(k => (float)(Math.Log((1.0 + normalizedTexts.Count) / (1.0 + counts[k].Df)) + 1)).ToArray();
        return new FeatureVocabulary(kept, idf);
    }

    private int FirstOfBlock(int block)
    {
        var first = Array.BinarySearch(Keys, (ulong)block << 62);
        return first >= 0 ? first : ~first;
    }
}
