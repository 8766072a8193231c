using System.Runtime.CompilerServices;
using System.Text;

namespace ContentWatch.Classifier;

/// <summary>
/// The trained multiclass linear model in compact form: one weight per (feature, class) and one bias per class;
/// probabilities are the softmax of <c>bias + Σ value × weight</c>, exactly what ML.NET's maximum-entropy model computes,
/// without ML.NET at scoring time. Weights are stored feature-major, each feature's class weights followed by its idf,
/// so everything scoring reads for a feature shares a cache line. Scoring (<see cref="LinearScorer"/>) reads a word's rows
/// from the model's word cache (<see cref="Word"/>), which holds copies of them side by side. The file format is
/// <see cref="LinearModelFormat"/>; training exports it from ML.NET.
/// </summary>
internal sealed class LinearModel
{
    /// <summary>The word cache stops growing at this many words (~40 MB; only a speed-up, results do not depend on it).</summary>
    public const int MaxCachedWords = 50_000;

    /// <summary>Per feature: <see cref="Classes"/> weights, then its idf (stride <see cref="Classes"/> + 1).</summary>
    private readonly float[] _rows;
    private readonly float[] _biases;
    private readonly WordCache<ScoredWord> _words;

    /// <param name="classLabels">Labels in class order.</param>
    /// <param name="weights">Feature-major: feature i's class weights at i × classes.</param>
    /// <param name="biases">One per class.</param>
    /// <param name="vocabulary">The features, with their idf.</param>
    internal LinearModel(IReadOnlyList<string> classLabels, float[] weights, float[] biases, FeatureVocabulary vocabulary)
    {
        ClassLabels = classLabels;
        _biases = biases;
        Vocabulary = vocabulary;
        var idf = vocabulary.Idf;
        var k = biases.Length;
        if (weights.Length != idf.Length * k)
        {
            throw new ArgumentException($"Expected {idf.Length} × {k} weights.", nameof(weights));
        }

        _rows = new float[idf.Length * (k + 1)];
        for (var i = 0; i < idf.Length; i++)
        {
            weights.AsSpan(i * k, k).CopyTo(_rows.AsSpan(i * (k + 1)));
            _rows[i * (k + 1) + k] = idf[i];
        }

        _words = new WordCache<ScoredWord>(MaxCachedWords, Score);
    }

    /// <summary>The features the model knows, with each one's inverse document frequency on the training rows.</summary>
    public FeatureVocabulary Vocabulary { get; }

    /// <summary>Labels in class order.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    public int Classes => _biases.Length;

    /// <summary>Writes class probabilities for <paramref name="features"/> into <paramref name="probabilities"/> (length <see cref="Classes"/>).</summary>
    public void Predict(SparseFeatures features, Span<float> probabilities)
    {
        var k = Classes;
        Span<double> logits = stackalloc double[k];
        for (var c = 0; c < k; c++)
        {
            logits[c] = _biases[c];
        }

        var indices = features.Indices;
        var values = features.Values;
        var w = _rows;
        if (k == 4)
        {
            double l0 = logits[0], l1 = logits[1], l2 = logits[2], l3 = logits[3];
            for (var j = 0; j < indices.Length; j++)
            {
                var v = values[j];
                var o = indices[j] * 5;
                l0 += v * w[o];
                l1 += v * w[o + 1];
                l2 += v * w[o + 2];
                l3 += v * w[o + 3];
            }

            logits[0] = l0;
            logits[1] = l1;
            logits[2] = l2;
            logits[3] = l3;
        }
        else
        {
            for (var j = 0; j < indices.Length; j++)
            {
                var o = indices[j] * (k + 1);
                for (var c = 0; c < k; c++)
                {
                    logits[c] += values[j] * w[o + c];
                }
            }
        }

        Softmax(logits, probabilities);
    }

    /// <summary>Softmax of <paramref name="logits"/> (overwritten) into <paramref name="probabilities"/>.</summary>
    public static void Softmax(Span<double> logits, Span<float> probabilities)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            logits[c] = Math.Exp(logits[c] - max);
            sum += logits[c];
        }

        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] = (float)(logits[c] / sum);
        }
    }

    /// <summary>Copies the biases into <paramref name="logits"/>.</summary>
    public void Biases(Span<double> logits)
    {
        for (var c = 0; c < _biases.Length; c++)
        {
            logits[c] = _biases[c];
        }
    }

    /// <summary>
    /// Adds one more occurrence of feature <paramref name="index"/> (seen <paramref name="previous"/> times before):
    /// its idf × tf step × class weights go to <paramref name="logits"/>; returns how much its squared value grew.
    /// </summary>
    public double AddOccurrence(int index, int previous, Span<double> logits) =>
        AddOccurrence(Row(index), previous, logits);

    /// <summary>As <see cref="AddOccurrence(int, int, Span{double})"/>, for a feature's row (its class weights, then its idf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AddOccurrence(ReadOnlySpan<float> row, int previous, Span<double> logits)
    {
        var k = logits.Length;
        double idf = row[k], factor = idf * FeatureHasher.Step(previous);
        for (var c = 0; c < k; c++)
        {
            logits[c] += factor * row[c];
        }

        return idf * idf * FeatureHasher.SquareStep(previous);
    }

    /// <summary>Feature <paramref name="index"/>'s class weights followed by its idf.</summary>
    public ReadOnlySpan<float> Row(int index) => _rows.AsSpan(index * (Classes + 1), Classes + 1);

    /// <summary>The index of the pair of words hashed <paramref name="previousHash"/> and <paramref name="hash"/>, or −1 when the model does not know it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bigram(ulong previousHash, ulong hash) => Vocabulary.IndexOf(FeatureHasher.BigramKey(previousHash, hash));

    /// <summary>
    /// <paramref name="word"/>'s features (<see cref="FeatureHasher"/>) with copies of their rows side by side, so that
    /// scoring a word reads one stretch of memory instead of one cache line per feature. Cached (bounded).
    /// </summary>
    public ScoredWord Word(ReadOnlySpan<char> word) => _words.Get(word);

    private ScoredWord Score(ReadOnlySpan<char> word)
    {
        var features = FeatureHasher.WordFeaturesOf(word);
        var ids = new List<int>(features.Keys.Length);
        foreach (var key in features.Keys)
        {
            if (Vocabulary.IndexOf(key) is var index and >= 0)
            {
                ids.Add(index);
            }
        }

        var stride = Classes + 1;
        var rows = new float[ids.Count * stride];
        for (var j = 0; j < ids.Count; j++)
        {
            Row(ids[j]).CopyTo(rows.AsSpan(j * stride));
        }

        return new ScoredWord(features.Hash, [.. ids], rows);
    }

    /// <summary>Each class's bias, in class order.</summary>
    public ReadOnlySpan<float> BiasValues => _biases;

    /// <summary>Weight of feature <paramref name="index"/> for class <paramref name="classIndex"/>.</summary>
    public float Weight(int index, int classIndex) => _rows[index * (Classes + 1) + classIndex];
}

/// <summary>
/// A word's hash (<see cref="WordFeatures"/>) and the indices of those of its features one model knows, each with a copy
/// of its row (stride classes + 1).
/// </summary>
internal sealed record ScoredWord(ulong Hash, int[] Ids, float[] Rows);
