using ContentWatch.Core.Classification;

namespace ContentWatch.Core.Models;

/// <summary>Where a registered model stands. At most one model is <see cref="Active"/> and at most one <see cref="Shadow"/>.</summary>
public static class ModelStatus
{
    /// <summary>Registered, not scoring anything.</summary>
    public const string Candidate = "candidate";

    /// <summary>Scores every new item beside the active model; its verdicts are stored and never queue anything.</summary>
    public const string Shadow = "shadow";

    /// <summary>Makes the verdicts.</summary>
    public const string Active = "active";

    /// <summary>Was active (or shadow) and was replaced or taken out; activating it again is a rollback.</summary>
    public const string Retired = "retired";

    public static readonly IReadOnlyList<string> All = [Candidate, Shadow, Active, Retired];
}

/// <summary>
/// A model's harmful-versus-benign figures on a labelled set at its review threshold: an item is flagged when its harmful
/// score is at or above the threshold. <see cref="SetSha256"/> names the set (the golden set's files, hashed together).
/// </summary>
public sealed record HarmfulFigures(
    int Count, int Harmful, double Threshold, double Precision, double Recall, double F1, double BenignFalsePositiveRate, string? SetSha256 = null);

/// <summary>Leave-one-writer-out figures recorded in the model file at training time.</summary>
public sealed record WriterFigures(int Writers, double MeanHarmfulF1, double WorstHarmfulF1, double MeanHarmfulPrAuc, double MeanBenignFalsePositiveRate);

/// <summary>A model's figures: leave-one-writer-out and dev (from its file) and the golden set (measured when it was registered).</summary>
public sealed record ModelMetrics(WriterFigures? LeaveOneWriterOut, HarmfulFigures? Golden, HarmfulFigures? Dev);

/// <summary>One file a model was trained on, as its metadata records it.</summary>
public sealed record TrainingFile(string Name, string Sha256, int Rows);

/// <summary>
/// What a model was trained on, from its metadata: the files with their SHA-256, and the officers' decisions it could
/// learn from (<c>train --decisions</c>): how many, and the newest one's time (<see cref="DecisionsUntil"/>); a decision
/// taken later was never trained on. A model trained without decisions has none.
/// </summary>
public sealed record ModelTraining(IReadOnlyList<TrainingFile> Files, DateTimeOffset? DecisionsUntil = null, int Decisions = 0)
{
    public static readonly ModelTraining None = new([]);

    public bool UsedDecisions => Decisions > 0 || DecisionsUntil is not null;
}

/// <summary>A registered model. <see cref="CreatedAt"/> is when it was registered; <see cref="TrainedAt"/> comes from its file.</summary>
public sealed record ModelInfo(
    string Id,
    string Status,
    string Sha256,
    DateTimeOffset CreatedAt,
    ModelMetrics Metrics,
    DateTimeOffset? TrainedAt,
    double ReviewThreshold,
    long Bytes,
    DateTimeOffset StatusAt,
    ModelTraining Training);

/// <summary>A model file about to be registered: what its metadata says, its figures, and its bytes.</summary>
public sealed record NewModel(
    string Id, string Sha256, byte[] Content, DateTimeOffset? TrainedAt, double ReviewThreshold, ModelMetrics Metrics, ModelTraining Training);

/// <summary>The audited record of one status change (or of the registration, with no <see cref="FromStatus"/>).</summary>
public sealed record ModelEvent(
    string Id, string ModelId, DateTimeOffset At, string Actor, string? FromStatus, string ToStatus, bool Forced, string? Comparison);

/// <summary>The models that score new items, as the registry holds them: cheap to read, polled by every node.</summary>
public sealed record LiveModelIds(string? ActiveId, string? ActiveSha256, string? ShadowId, string? ShadowSha256);

/// <summary>A shadow model's verdict on an item: stored beside the active verdict, never queues anything.</summary>
public sealed record ShadowVerdict(string Model, string Label, double Score, IReadOnlyDictionary<string, double> Scores, DateTimeOffset ClassifiedAt);

/// <summary>A note on an item written by the system (e.g. a rescore that sent a dismissed item back to review), append-only.</summary>
public sealed record ItemNote(string Id, string ItemId, DateTimeOffset At, string Actor, string Kind, string Note, string? ModelId, string? RunId);

/// <summary>An item officers decided, as the promotion gate scores it: confirmed items are harmful, rejected ones benign.</summary>
public sealed record DecidedItem(string Id, string Text, string? Title, string Kind, string? Language, string Status, DateTimeOffset DecidedAt);

/// <summary>
/// How a shadow model compares with the verdicts its items carry, counted in the store: items scored by both, those both
/// flagged, those only one flagged, and on items officers decided (confirmed or rejected) the confusion counts of each.
/// </summary>
public sealed record ShadowCounts(
    int Compared,
    int BothFlagged,
    int ShadowOnly,
    int ActiveOnly,
    int SameLabel,
    int Decided,
    int Confirmed,
    int ShadowFlaggedConfirmed,
    int ShadowFlaggedRejected,
    int ActiveFlaggedConfirmed,
    int ActiveFlaggedRejected,
    IReadOnlyList<ShadowDisagreement> ShadowOnlyItems,
    IReadOnlyList<ShadowDisagreement> ActiveOnlyItems);

/// <summary>An item the two models disagree on: whether to flag it.</summary>
public sealed record ShadowDisagreement(string ItemId, string Status, string ActiveModel, string ActiveLabel, double ActiveScore, string ShadowLabel, double ShadowScore);

/// <summary>A histogram bin of verdict scores: [<see cref="From"/>, <see cref="From"/> + 0.1), the last bin including 1.</summary>
public sealed record ScoreBin(double From, int Count);

/// <summary>Officers' first decisions on items a model flagged, by the model whose verdict the item carries.</summary>
public sealed record ModelPrecision(string Model, int Confirmed, int Rejected)
{
    public double? Precision => Confirmed + Rejected == 0 ? null : (double)Confirmed / (Confirmed + Rejected);
}

/// <summary>The dashboard's model figures since a day: the score distribution of verdicts and precision per model.</summary>
public sealed record ModelFigures(IReadOnlyList<ScoreBin> Scores, IReadOnlyList<ModelPrecision> Precision);

/// <summary>
/// A status change asked of the store. With <see cref="CheckActive"/>, the change is written only while
/// <see cref="ExpectedActiveId"/> is the active model (null: none), so a gate decision taken against one active model is
/// never applied over another that was activated meanwhile.
/// </summary>
public sealed record StatusChange(string ModelId, string Status, string Actor, bool Forced, string? Comparison = null,
    bool CheckActive = false, string? ExpectedActiveId = null);

public enum StatusChangeOutcome
{
    Changed,
    /// <summary>The model already had the status: nothing written.</summary>
    Unchanged,
    NotFound,
    /// <summary>The change breaks a rule (<see cref="ModelRules"/>) or the active model changed since the gate looked.</summary>
    Conflict,
}

public sealed record StatusChangeResult(StatusChangeOutcome Outcome, string? Message = null);

/// <summary>The models registry, shadow verdicts and item notes.</summary>
public interface IModelStore
{
    /// <summary>
    /// Registers a model as <see cref="ModelStatus.Candidate"/> with its bytes and an audited event. Returns the model as
    /// stored: when the id is registered already, the existing model (the caller compares its SHA-256).
    /// </summary>
    Task<ModelInfo> RegisterAsync(NewModel model, string actor, CancellationToken cancellationToken);

    /// <summary>Registers the model as <see cref="ModelStatus.Active"/> when the registry holds no model; false when it held one.</summary>
    Task<bool> SeedAsync(NewModel model, string actor, CancellationToken cancellationToken);

    /// <summary>Every model, newest registration first.</summary>
    Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken);

    Task<ModelInfo?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The model file's bytes.</summary>
    Task<byte[]?> GetContentAsync(string id, CancellationToken cancellationToken);

    /// <summary>The active and shadow models' ids and hashes (one indexed read; every node polls it).</summary>
    Task<LiveModelIds> GetLiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Moves the model to the status in one transaction, with an audited event, after <see cref="ModelRules.Refusal"/>
    /// over the status read in that transaction: making one model active retires the active one; making one shadow
    /// moves the shadow one back to candidate.
    /// </summary>
    Task<StatusChangeResult> SetStatusAsync(StatusChange change, CancellationToken cancellationToken);

    /// <summary>The model's audited events, oldest first.</summary>
    Task<IReadOnlyList<ModelEvent>> GetEventsAsync(string id, CancellationToken cancellationToken);

    /// <summary>The newest shadow verdict on the item, or null.</summary>
    Task<ShadowVerdict?> GetShadowVerdictAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>The shadow model's verdicts against the items' own verdicts; up to <paramref name="listLimit"/> disagreements each way.</summary>
    Task<ShadowCounts> CompareShadowAsync(string modelId, int listLimit, CancellationToken cancellationToken);

    /// <summary>Items confirmed or rejected by a decision at or after <paramref name="since"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DecidedItem>> GetDecidedAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>The item's notes, oldest first.</summary>
    Task<IReadOnlyList<ItemNote>> GetNotesAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>Verdict scores of items classified since <paramref name="since"/> in ten bins, and precision per model of first decisions since then.</summary>
    Task<ModelFigures> GetFiguresAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Reads model files: what their metadata says, and the model itself to score with.</summary>
public interface IModelLoader
{
    /// <summary>The id, training time, threshold, recorded figures and training data of a model file; throws <see cref="InvalidDataException"/> for a file that is not one.</summary>
    ModelFileFacts Inspect(byte[] content);

    /// <summary>The model, ready to score (thread-safe).</summary>
    ITextClassifier Load(byte[] content);

    /// <summary>
    /// Why this build cannot read the model file's weights (an older or newer format, <see cref="UnsupportedModelFormatException"/>
    /// when loaded), from their header alone without loading the model; null when it can.
    /// </summary>
    string? UnsupportedFormat(byte[] content);
}

/// <summary>What a model file says about itself.</summary>
public sealed record ModelFileFacts(string Id, DateTimeOffset? TrainedAt, double ReviewThreshold, WriterFigures? LeaveOneWriterOut, HarmfulFigures? Dev, ModelTraining Training);

/// <summary>
/// A model file this build cannot read because its weights are in an older or newer format than the build's: retrain
/// it. The registry replaces an active model of that kind on start (<see cref="ModelRegistry.SeedAsync"/>).
/// </summary>
public sealed class UnsupportedModelFormatException(string message) : IOException(message);
