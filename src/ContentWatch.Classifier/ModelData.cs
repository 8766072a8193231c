using Microsoft.ML.Data;

namespace ContentWatch.Classifier;

/// <summary>What the model reads at scoring time: the normalised text.</summary>
internal sealed class ServingInput
{
    [ColumnName(ClassifierPipeline.TextColumn)]
    public string Text { get; set; } = string.Empty;
}

/// <summary>A training row: normalised text, label and example weight.</summary>
internal sealed class ModelInput
{
    [ColumnName(ClassifierPipeline.TextColumn)]
    public string Text { get; set; } = string.Empty;

    [ColumnName(ClassifierPipeline.LabelColumn)]
    public string Label { get; set; } = string.Empty;

    [ColumnName(ClassifierPipeline.WeightColumn)]
    public float Weight { get; set; } = 1f;
}

/// <summary>What the model writes: one probability per label, in the order of the model's label slots.</summary>
internal sealed class ModelOutput
{
    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}

/// <summary>A labelled training or dev example after loading, before it reaches ML.NET.</summary>
internal sealed record LabeledText(string Id, string Source, string Text, string Label, string GroupKey, float Weight);
