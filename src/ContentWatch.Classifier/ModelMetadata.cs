using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentWatch.Classifier;

/// <summary>Everything needed to say what a model file is and how well it did; stored as metadata.json in the model zip.</summary>
public sealed record ModelMetadata(
    string ModelVersion,
    string Trainer,
    int Seed,
    double ReviewThreshold,
    IReadOnlyList<string> Labels,
    IReadOnlyList<TrainingFileInfo> TrainingFiles,
    int TrainCount,
    int DevCount,
    DevMetrics DevMetrics,
    DateTimeOffset TrainedAt,
    string Features)
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One file the model was trained on: its name, SHA-256 of its bytes and how many of its rows were used.</summary>
public sealed record TrainingFileInfo(string Name, string Sha256, int RowsUsed);

/// <summary>Precision, recall and F1 for one label on the dev split (decision: harmful when score ≥ 0.5, then the top harmful label).</summary>
public sealed record LabelMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Share of a dev source flagged for review at the chosen threshold (recall for harmful rows, FPR for benign rows).</summary>
public sealed record SourceMetrics(string Source, int Count, int Harmful, double HarmfulRecallAtThreshold, double BenignFlaggedAtThreshold);

/// <summary>Dev-split figures. "Harmful" is any label other than benign; the threshold applies to the harmful score.</summary>
public sealed record DevMetrics(
    int Count,
    IReadOnlyList<LabelMetrics> PerLabel,
    double MacroF1,
    double Accuracy,
    double HarmfulPrecision,
    double HarmfulRecall,
    double HarmfulF1,
    double BenignFalsePositiveRate,
    double ReviewThreshold,
    double HarmfulRecallAtThreshold,
    double HarmfulPrecisionAtThreshold,
    double BenignFalsePositiveRateAtThreshold,
    IReadOnlyList<SourceMetrics> PerSource);
