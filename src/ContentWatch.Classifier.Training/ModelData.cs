using Microsoft.ML.Data;

namespace ContentWatch.Classifier.Training;

/// <summary>
/// A training row as ML.NET reads it: the <see cref="FeatureHasher"/> vector over one vocabulary, the label and the
/// example weight. The vector's length is the vocabulary's, so ML.NET reads rows through <see cref="Schema"/>.
/// </summary>
internal sealed class FeatureRow
{
    [ColumnName(ClassifierPipeline.FeaturesColumn)]
    public VBuffer<float> Features { get; set; }

    [ColumnName(ClassifierPipeline.LabelColumn)]
    public string Label { get; set; } = string.Empty;

    [ColumnName(ClassifierPipeline.WeightColumn)]
    public float Weight { get; set; } = 1f;

    public static FeatureRow From(SparseFeatures features, int dimension, string label, float weight) => new()
    {
        Features = new VBuffer<float>(dimension, features.Indices.Length, features.Values, features.Indices),
        Label = label,
        Weight = weight,
    };

    /// <summary>The schema of rows whose vectors have <paramref name="dimension"/> columns.</summary>
    public static SchemaDefinition Schema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[ClassifierPipeline.FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }
}

/// <summary>What the ML.NET model writes: one probability per label, in the order of the model's label slots.</summary>
internal sealed class ModelOutput
{
    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}

/// <summary>A labelled training or dev example after loading, before it reaches ML.NET.</summary>
/// <summary>
/// One training or evaluation example. <see cref="Writer"/> is who wrote a team-corpus row (its <c>writer</c> field; a row
/// without one is never held out by leave-one-writer-out); null for public data. <see cref="Genre"/> is its
/// <c>genre</c> (corpus v2) or <c>subtype</c>.
/// </summary>
internal sealed record LabeledText(string Id, string Source, string Text, string Label, string GroupKey, float Weight, string? Language = null,
    string? Writer = null, string? Genre = null);
