using System.Text;
using ContentWatch.Core.Models;

namespace ContentWatch.Classifier;

/// <summary>Reads and writes a <see cref="LinearModel"/> (<c>weights.bin</c> inside the model file, see <see cref="ModelFile"/>).</summary>
internal static class LinearModelFormat
{
    private const string Magic = "CWLINEAR3";

    /// <summary>More weights than any model of this design holds (the 2026 corpus gives about 400,000 features × 4 classes): a file claiming more is corrupt, and is refused before anything that size is allocated.</summary>
    private const long MaxWeights = 50_000_000;

    /// <summary>Writes the model: magic, class count, labels, biases, feature count, then per feature (ascending key) its key, class weights and idf.</summary>
    public static void Write(LinearModel model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(model.Classes);
        foreach (var label in model.ClassLabels)
        {
            writer.Write(label);
        }

        foreach (var b in model.BiasValues)
        {
            writer.Write(b);
        }

        var vocabulary = model.Vocabulary;
        writer.Write(vocabulary.Count);
        for (var i = 0; i < vocabulary.Count; i++)
        {
            writer.Write(vocabulary.Keys[i]);
            var row = model.Row(i);
            foreach (var value in row[..^1])
            {
                writer.Write(value);
            }

            writer.Write(row[^1]);
        }
    }

    /// <summary>What a file of another format is told: what this build reads, and what to do.</summary>
    public const string UnsupportedMessage = "Not a ContentWatch linear model of this build's format (" + Magic + "): retrain it.";

    /// <summary>True when <paramref name="stream"/> starts as a model of this build's format (its header only).</summary>
    public static bool IsCurrent(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            return reader.ReadString() == Magic;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            return false;
        }
    }

    public static LinearModel Read(Stream stream)
    {
        if (!IsCurrent(stream))
        {
            throw new UnsupportedModelFormatException(UnsupportedMessage);
        }

        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);

        var classes = reader.ReadInt32();
        if (classes is < 2 or > 64)
        {
            throw new InvalidDataException($"Linear model has {classes} classes.");
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

        var count = reader.ReadInt32();
        if (count < 0 || (long)count * classes > MaxWeights)
        {
            throw new InvalidDataException($"Linear model has {count} features.");
        }

        var keys = new ulong[count];
        var idf = new float[count];
        var weights = new float[count * classes];
        for (var i = 0; i < count; i++)
        {
            keys[i] = reader.ReadUInt64();
            for (var c = 0; c < classes; c++)
            {
                weights[i * classes + c] = reader.ReadSingle();
            }

            idf[i] = reader.ReadSingle();
        }

        try
        {
            return new LinearModel(labels, weights, biases, new FeatureVocabulary(keys, idf));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Linear model features are invalid: {e.Message}", e);
        }
    }
}
