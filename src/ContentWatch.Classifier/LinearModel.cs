using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ContentWatch.Classifier;

/// <summary>
/// The trained multiclass linear model in compact form: one weight per (feature, class) and one bias per class;
/// probabilities are the softmax of <c>bias + Σ value × weight</c>, exactly what ML.NET's maximum-entropy model computes,
/// without ML.NET at scoring time. Weights are stored feature-major, each feature's class weights followed by its idf,
/// so everything scoring reads for a feature shares a cache line. Scoring reads a word's rows from a per-model word
/// cache (<see cref="Word"/>), which holds copies of them side by side.
/// </summary>
internal sealed class LinearModel
{
    /// <summary>The word cache stops growing at this many words (~40 MB; only a speed-up, results do not depend on it).</summary>
    public const int MaxCachedWords = 50_000;

    private const string Magic = "CWLINEAR2";

    /// <summary>Per feature: <see cref="Classes"/> weights, then its idf (stride <see cref="Classes"/> + 1).</summary>
    private readonly float[] _rows;
    private readonly float[] _biases;
    private readonly ConcurrentDictionary<string, ScoredWord> _words = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ScoredWord>.AlternateLookup<ReadOnlySpan<char>> _wordsBySpan;

    /// <summary>Words added to <see cref="_words"/> (its own Count takes every lock of the dictionary, too slow per miss).</summary>
    private int _wordCount;

    private LinearModel(IReadOnlyList<string> classLabels, float[] weights, float[] biases, float[] idf)
    {
        ClassLabels = classLabels;
        _biases = biases;
        Idf = idf;
        var k = biases.Length;
        _rows = new float[idf.Length * (k + 1)];
        for (var i = 0; i < idf.Length; i++)
        {
            weights.AsSpan(i * k, k).CopyTo(_rows.AsSpan(i * (k + 1)));
            _rows[i * (k + 1) + k] = idf[i];
        }

        _wordsBySpan = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Each feature's inverse document frequency on the training rows (the featurizer multiplies tf by it).</summary>
    public float[] Idf { get; }

    /// <summary>Labels in class order.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    public int Classes => _biases.Length;

    /// <summary>Exports the weights and biases of an ML.NET maximum-entropy model trained on <see cref="Featurizer"/> features weighted by <paramref name="idf"/>.</summary>
    public static LinearModel FromMlNet(MaximumEntropyModelParameters parameters, IReadOnlyList<string> classLabels, float[] idf)
    {
        VBuffer<float>[] rows = [];
        parameters.GetWeights(ref rows, out var classes);
        if (classes != classLabels.Count)
        {
            throw new InvalidOperationException($"Model has {classes} classes, expected {classLabels.Count}.");
        }

        var weights = new float[Featurizer.Dimension * classes];
        for (var k = 0; k < classes; k++)
        {
            if (rows[k].Length != Featurizer.Dimension)
            {
                throw new InvalidOperationException($"Model has {rows[k].Length} features, expected {Featurizer.Dimension}.");
            }

            foreach (var (index, value) in rows[k].Items())
            {
                weights[index * classes + k] = value;
            }
        }

        var biases = parameters.GetBiases().ToArray();
        return new LinearModel(classLabels, weights, biases, idf);
    }

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
        double idf = row[k], factor = idf * Featurizer.Step(previous);
        for (var c = 0; c < k; c++)
        {
            logits[c] += factor * row[c];
        }

        return idf * idf * Featurizer.SquareStep(previous);
    }

    /// <summary>Feature <paramref name="index"/>'s class weights followed by its idf.</summary>
    public ReadOnlySpan<float> Row(int index) => _rows.AsSpan(index * (Classes + 1), Classes + 1);

    /// <summary>
    /// <paramref name="word"/>'s features (<see cref="Featurizer"/>) with copies of their rows side by side, so that
    /// scoring a word reads one stretch of memory instead of one cache line per feature. Cached (bounded).
    /// </summary>
    public ScoredWord Word(ReadOnlySpan<char> word)
    {
        if (_wordsBySpan.TryGetValue(word, out var cached))
        {
            return cached;
        }

        var features = Featurizer.WordFeaturesOf(word);
        var stride = Classes + 1;
        var rows = new float[features.Ids.Length * stride];
        for (var j = 0; j < features.Ids.Length; j++)
        {
            Row(features.Ids[j]).CopyTo(rows.AsSpan(j * stride));
        }

        var scored = new ScoredWord(features.Hash, features.Ids, rows);
        if (Volatile.Read(ref _wordCount) < MaxCachedWords && _wordsBySpan.TryAdd(word, scored))
        {
            Interlocked.Increment(ref _wordCount);
        }

        return scored;
    }

    /// <summary>Weight of feature <paramref name="index"/> for class <paramref name="classIndex"/>.</summary>
    public float Weight(int index, int classIndex) => _rows[index * (Classes + 1) + classIndex];

    /// <summary>
    /// Writes the model: magic, labels, biases, the features with a non-zero weight, then the idf: its most common value (0: features in fewer than
    /// two training texts) and the features whose idf differs from it.
    /// </summary>
    public void Write(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Featurizer.Dimension);
        writer.Write(Classes);
        foreach (var label in ClassLabels)
        {
            writer.Write(label);
        }

        foreach (var b in _biases)
        {
            writer.Write(b);
        }

        var k = Classes;
        var nonZero = 0;
        for (var i = 0; i < Featurizer.Dimension; i++)
        {
            nonZero += _rows.AsSpan(i * (k + 1), k).ContainsAnyExcept(0f) ? 1 : 0;
        }

        writer.Write(nonZero);
        for (var i = 0; i < Featurizer.Dimension; i++)
        {
            var row = _rows.AsSpan(i * (k + 1), k);
            if (row.ContainsAnyExcept(0f))
            {
                writer.Write(i);
                foreach (var w in row)
                {
                    writer.Write(w);
                }
            }
        }

        var common = Idf.GroupBy(v => v).MaxBy(g => g.Count())!.Key;
        writer.Write(common);
        writer.Write(Idf.Count(v => v != common));
        for (var i = 0; i < Idf.Length; i++)
        {
            if (Idf[i] != common)
            {
                writer.Write(i);
                writer.Write(Idf[i]);
            }
        }
    }

    public static LinearModel Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadString() != Magic)
        {
            throw new InvalidDataException("Not a ContentWatch linear model.");
        }

        var dimension = reader.ReadInt32();
        var classes = reader.ReadInt32();
        if (dimension != Featurizer.Dimension || classes is < 2 or > 64)
        {
            throw new InvalidDataException($"Linear model has {dimension} features and {classes} classes; this build expects {Featurizer.Dimension} features.");
        }

        var labels = new string[classes];
        for (var c = 0; c < classes; c++)
        {
            labels[c] = reader.ReadString();
        }

        var biases = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            biases[c] = reader.ReadSingle();
        }

        var weights = new float[dimension * classes];
        var rows = reader.ReadInt32();
        for (var r = 0; r < rows; r++)
        {
            var index = reader.ReadInt32();
            if ((uint)index >= (uint)dimension)
            {
                throw new InvalidDataException($"Linear model feature index {index} out of range.");
            }

            for (var c = 0; c < classes; c++)
            {
                weights[index * classes + c] = reader.ReadSingle();
            }
        }

        var idf = new float[dimension];
        Array.Fill(idf, reader.ReadSingle());
        var seen = reader.ReadInt32();
        for (var r = 0; r < seen; r++)
        {
            var index = reader.ReadInt32();
            if ((uint)index >= (uint)dimension)
            {
                throw new InvalidDataException($"Linear model idf index {index} out of range.");
            }

            idf[index] = reader.ReadSingle();
        }

        if (idf.Any(v => !float.IsFinite(v) || v < 0))
        {
            throw new InvalidDataException("Linear model idf values must be finite and not negative.");
        }

        return new LinearModel(labels, weights, biases, idf);
    }
}

/// <summary>A word's hash and feature ids (<see cref="WordFeatures"/>) and, per id, a copy of its row in one model (stride classes + 1).</summary>
internal sealed record ScoredWord(uint Hash, int[] Ids, float[] Rows);
