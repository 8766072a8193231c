using System.Text;

namespace ContentWatch.Classifier;

/// <summary>Reads and writes a <see cref="LinearModel"/> (<c>weights.bin</c> inside the model file, see <see cref="ModelFile"/>).</summary>
internal static class LinearModelFormat
{
    private const string Magic = "CWLINEAR2";

    /// <summary>
    /// Writes the model: magic, labels, biases, the features with a non-zero weight, then the idf: its most common value (0: features in fewer than
    /// two training texts) and the features whose idf differs from it.
    /// </summary>
    public static void Write(LinearModel model, Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FeatureHasher.Dimension);
        writer.Write(model.Classes);
        foreach (var label in model.ClassLabels)
        {
            writer.Write(label);
        }

        foreach (var b in model.BiasValues)
        {
            writer.Write(b);
        }

        var k = model.Classes;
        var nonZero = 0;
        for (var i = 0; i < FeatureHasher.Dimension; i++)
        {
            nonZero += model.Row(i)[..k].ContainsAnyExcept(0f) ? 1 : 0;
        }

        writer.Write(nonZero);
        for (var i = 0; i < FeatureHasher.Dimension; i++)
        {
            var row = model.Row(i)[..k];
            if (row.ContainsAnyExcept(0f))
            {
                writer.Write(i);
                foreach (var w in row)
                {
                    writer.Write(w);
                }
            }
        }

        var common = model.Idf.GroupBy(v => v).MaxBy(g => g.Count())!.Key;
        writer.Write(common);
        writer.Write(model.Idf.Count(v => v != common));
        for (var i = 0; i < model.Idf.Length; i++)
        {
            if (model.Idf[i] != common)
            {
                writer.Write(i);
                writer.Write(model.Idf[i]);
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
        if (dimension != FeatureHasher.Dimension || classes is < 2 or > 64)
        {
            throw new InvalidDataException($"Linear model has {dimension} features and {classes} classes; this build expects {FeatureHasher.Dimension} features.");
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
