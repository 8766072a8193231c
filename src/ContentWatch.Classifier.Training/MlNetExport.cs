using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ContentWatch.Classifier.Training;

/// <summary>Exports a trained ML.NET maximum-entropy model to the runtime's <see cref="LinearModel"/>.</summary>
internal static class MlNetExport
{
    /// <summary>The weights and biases of <paramref name="parameters"/>, trained on <see cref="FeatureHasher"/> features over <paramref name="vocabulary"/>.</summary>
    public static LinearModel ToLinearModel(MaximumEntropyModelParameters parameters, IReadOnlyList<string> classLabels, FeatureVocabulary vocabulary)
    {
        VBuffer<float>[] rows = [];
        parameters.GetWeights(ref rows, out var classes);
        if (classes != classLabels.Count)
        {
            throw new InvalidOperationException($"Model has {classes} classes, expected {classLabels.Count}.");
        }

        var weights = new float[vocabulary.Count * classes];
        for (var k = 0; k < classes; k++)
        {
            if (rows[k].Length != vocabulary.Count)
            {
                throw new InvalidOperationException($"Model has {rows[k].Length} features, expected {vocabulary.Count}.");
            }

            foreach (var (index, value) in rows[k].Items())
            {
                weights[index * classes + k] = value;
            }
        }

        return new LinearModel(classLabels, weights, parameters.GetBiases().ToArray(), vocabulary);
    }
}
