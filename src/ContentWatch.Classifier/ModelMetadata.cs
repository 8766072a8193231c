using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentWatch.Classifier;

/// <summary>
/// Everything needed to say what a model file is and how well it did; stored as metadata.json in the model zip.
/// <see cref="ScoringCheckMaxDifference"/> is the largest difference, over the dev split, between a probability computed
/// by the exported <see cref="LinearModel"/> and by the ML.NET model it came from. When <see cref="AllRowsCount"/> is set,
/// the saved weights were trained on that many rows (train and dev splits together), and <see cref="TrainCount"/>,
/// <see cref="DevCount"/> and <see cref="DevMetrics"/> describe a twin trained on the train split only.
/// </summary>
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
    string Features,
    double TrainingSeconds,
    double ScoringCheckMaxDifference,
    IReadOnlyList<TrainerComparison>? TrainerComparison,
    LexiconInfo? Lexicon = null,
    WriterFoldReport? LeaveOneWriterOut = null,
    string? ThresholdRule = null,
    DecisionSetInfo? Decisions = null,
    int? AllRowsCount = null)
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>
/// The officers' decisions a model was trained with (<c>contentwatch train --decisions</c>). <see cref="Count"/>,
/// <see cref="Sha256"/> and <see cref="NewestDecidedAt"/> describe every decision the trainer was allowed to see (before
/// <see cref="Before"/>, when set): a decision taken after <see cref="NewestDecidedAt"/> was never trained on, so it can
/// judge the model. <see cref="Sha256"/> is SHA-256 over one <c>decisionId TAB label LF</c> line per decision in
/// (decidedAt, decisionId) order. Of those, <see cref="InCorpus"/> texts were in the corpus or public data already,
/// <see cref="Repeats"/> repeated an earlier decision's text, and <see cref="Used"/> were added (some in the dev split).
/// <see cref="Platforms"/> and <see cref="LargestDay"/> are shares of the decision weight after the caps.
/// </summary>
public sealed record DecisionSetInfo(
    string Source,
    int Count,
    string Sha256,
    DateTimeOffset? NewestDecidedAt,
    DateTimeOffset? OldestDecidedAt,
    DateTimeOffset? Before,
    int HeldOut,
    int InCorpus,
    int Repeats,
    int Used,
    IReadOnlyDictionary<string, int> Labels,
    double DecisionWeight,
    double PlatformCap,
    double DayCap,
    double TotalWeight,
    IReadOnlyList<DecisionShare> Platforms,
    int Days,
    DecisionShare? LargestDay);

/// <summary>A platform's or a day's decisions and their share of the decision weight.</summary>
public sealed record DecisionShare(string Key, int Count, double Share);

/// <summary>The concept lexicon a model was trained with (the file itself is stored in the model zip).</summary>
public sealed record LexiconInfo(string Version, string Sha256, int Concepts, int Languages);

/// <summary>One writer's items scored by a model trained without them, at a threshold chosen on the other writers.</summary>
public sealed record WriterFoldMetrics(string Writer, int Count, int Harmful, double Threshold, double HarmfulPrecision, double HarmfulRecall,
    double HarmfulF1, double HarmfulPrAuc, double BenignFalsePositiveRate);

/// <summary>Leave-one-writer-out figures for a group of corpus items (a language, a genre, a label).</summary>
public sealed record FoldGroupMetrics(string Group, int Count, int Harmful, double HarmfulRecall, double BenignFalsePositiveRate, double HarmfulF1,
    double LabelAccuracy);

/// <summary>The leave-one-writer-out report: per writer, mean and worst, and per label, genre and language.</summary>
public sealed record WriterFoldReport(
    IReadOnlyList<WriterFoldMetrics> Writers,
    double MeanHarmfulF1,
    double WorstHarmfulF1,
    double MeanHarmfulPrAuc,
    double WorstHarmfulPrAuc,
    double MeanBenignFalsePositiveRate,
    double WorstBenignFalsePositiveRate,
    double PooledThreshold,
    IReadOnlyList<FoldGroupMetrics> PerLanguage,
    IReadOnlyList<FoldGroupMetrics> PerGenre,
    IReadOnlyList<FoldGroupMetrics> PerLabel,
    int? WriterGroups = null);

/// <summary>One file the model was trained on: its name, SHA-256 of its bytes and how many of its rows were used.</summary>
public sealed record TrainingFileInfo(string Name, string Sha256, int RowsUsed);

/// <summary>Precision, recall and F1 for one label (decision: benign below the review threshold, otherwise the top harmful label).</summary>
public sealed record LabelMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Share of a dev source flagged for review at the chosen threshold (recall for harmful rows, FPR for benign rows).</summary>
public sealed record SourceMetrics(string Source, int Count, int Harmful, double HarmfulRecallAtThreshold, double BenignFlaggedAtThreshold);

/// <summary>Dev-split figures (<see cref="EvaluationReport"/>) and the share flagged per data source.</summary>
public sealed record DevMetrics(EvaluationReport Report, IReadOnlyList<SourceMetrics> PerSource);

/// <summary>
/// One trainer's dev figures in the comparison <see cref="ModelTrainer"/> prints when asked to compare.
/// <see cref="Servable"/> is false for the tree trainers: measured for comparison, but they cannot be saved or served.
/// </summary>
public sealed record TrainerComparison(string Trainer, double TrainSeconds, double MacroF1, double HarmfulF1, double HarmfulPrAuc,
    double ReviewThreshold, double HarmfulRecallAtThreshold, double BenignFalsePositiveRateAtThreshold, double ExpectedCalibrationError,
    bool Servable = true);
