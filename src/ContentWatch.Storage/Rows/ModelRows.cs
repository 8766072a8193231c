using System.Text.Json;
using ContentWatch.Core.Models;

namespace ContentWatch.Storage.Rows;

// The rows the model and rescore stores read, and the standard SQL both providers run unchanged.

/// <summary>A registered model (without its file).</summary>
internal sealed class ModelRow
{
    public const string Columns = """
        id AS Id, status AS Status, sha256 AS Sha256, bytes AS Bytes, created_at AS CreatedAt, trained_at AS TrainedAt,
        review_threshold AS ReviewThreshold, status_at AS StatusAt, metrics_json AS MetricsJson, training_json AS TrainingJson
        """;

    public const string SelectById = "SELECT " + Columns + " FROM models WHERE id = @id;";

    public const string Insert = """
        INSERT INTO models (id, sha256, bytes, created_at, trained_at, review_threshold, status, status_at, metrics_json, training_json)
        VALUES (@Id, @Sha256, @Bytes, @CreatedAt, @TrainedAt, @ReviewThreshold, @Status, @StatusAt, @MetricsJson, @TrainingJson);
        """;

    public const string InsertFile = "INSERT INTO model_files (model_id, content) VALUES (@id, @content);";

    public const string SelectFile = "SELECT content FROM model_files WHERE model_id = @id;";

    public const string SelectLive = "SELECT id AS Id, status AS Status, sha256 AS Sha256 FROM models WHERE status IN ('active', 'shadow');";

    public const string SelectActiveId = "SELECT id FROM models WHERE status = 'active';";

    /// <summary>The model that holds <c>@status</c> (active or shadow) moves to <c>@to</c>.</summary>
    public const string Demote = "UPDATE models SET status = @to, status_at = @at WHERE status = @status;";

    public const string SetStatus = "UPDATE models SET status = @status, status_at = @at WHERE id = @id;";

    public const string InsertEvent = """
        INSERT INTO model_events (id, model_id, at, actor, from_status, to_status, forced, comparison)
        VALUES (@id, @modelId, @at, @actor, @fromStatus, @toStatus, @forced, @comparison);
        """;

    public const string Events = """
        SELECT id AS Id, model_id AS ModelId, at AS At, actor AS Actor, from_status AS FromStatus, to_status AS ToStatus,
               forced AS Forced, comparison AS Comparison
        FROM model_events
        WHERE model_id = @id
        ORDER BY at, id;
        """;

    public const string Notes = """
        SELECT id AS Id, item_id AS ItemId, at AS At, actor AS Actor, kind AS Kind, note AS Note, model_id AS ModelId, run_id AS RunId
        FROM item_notes
        WHERE item_id = @itemId
        ORDER BY at, id;
        """;

    /// <summary>The shadow model's verdicts against the items' own, counted (SUM of nothing is NULL: COALESCE).</summary>
    public const string ShadowCounts = """
        SELECT COUNT(*) AS Compared,
               COALESCE(SUM(CASE WHEN s.label <> 'benign' AND i.label <> 'benign' THEN 1 ELSE 0 END), 0) AS BothFlagged,
               COALESCE(SUM(CASE WHEN s.label <> 'benign' AND i.label = 'benign' THEN 1 ELSE 0 END), 0) AS ShadowOnly,
               COALESCE(SUM(CASE WHEN s.label = 'benign' AND i.label <> 'benign' THEN 1 ELSE 0 END), 0) AS ActiveOnly,
               COALESCE(SUM(CASE WHEN s.label = i.label THEN 1 ELSE 0 END), 0) AS SameLabel,
               COALESCE(SUM(CASE WHEN i.status IN ('confirmed', 'rejected') THEN 1 ELSE 0 END), 0) AS Decided,
               COALESCE(SUM(CASE WHEN i.status = 'confirmed' THEN 1 ELSE 0 END), 0) AS Confirmed,
               COALESCE(SUM(CASE WHEN i.status = 'confirmed' AND s.label <> 'benign' THEN 1 ELSE 0 END), 0) AS ShadowFlaggedConfirmed,
               COALESCE(SUM(CASE WHEN i.status = 'rejected' AND s.label <> 'benign' THEN 1 ELSE 0 END), 0) AS ShadowFlaggedRejected,
               COALESCE(SUM(CASE WHEN i.status = 'confirmed' AND i.label <> 'benign' THEN 1 ELSE 0 END), 0) AS ActiveFlaggedConfirmed,
               COALESCE(SUM(CASE WHEN i.status = 'rejected' AND i.label <> 'benign' THEN 1 ELSE 0 END), 0) AS ActiveFlaggedRejected
        FROM shadow_verdicts s
        JOIN items i ON i.id = s.item_id
        WHERE s.model_id = @model AND i.label IS NOT NULL;
        """;

    /// <summary>Verdict scores in ten bins of 0.1 (a score of 1 in the last).</summary>
    public const string ScoreBins = """
        SELECT CASE WHEN score >= 1 THEN 9 ELSE CAST(score * 10 AS int) END AS Bin, COUNT(*) AS Count
        FROM items
        WHERE classified_at >= @since AND score IS NOT NULL
        GROUP BY CASE WHEN score >= 1 THEN 9 ELSE CAST(score * 10 AS int) END;
        """;

    /// <summary>First decisions on flagged items (decided while in review) since a time, by the model of the item's verdict.</summary>
    public const string PrecisionByModel = """
        SELECT i.model_version AS Model,
               SUM(CASE WHEN d.decision = 'confirm' THEN 1 ELSE 0 END) AS Confirmed,
               SUM(CASE WHEN d.decision = 'reject' THEN 1 ELSE 0 END) AS Rejected
        FROM decisions d
        JOIN items i ON i.id = d.item_id
        WHERE d.at >= @since AND d.status_before = 'in_review' AND i.model_version IS NOT NULL
        GROUP BY i.model_version;
        """;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Bytes { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? TrainedAt { get; init; }
    public double ReviewThreshold { get; init; }
    public string StatusAt { get; init; } = "";
    public string MetricsJson { get; init; } = "{}";
    public string TrainingJson { get; init; } = "{}";

    public static ModelRow From(NewModel model, string status, string at) => new()
    {
        Id = model.Id,
        Status = status,
        Sha256 = model.Sha256,
        Bytes = model.Content.LongLength,
        CreatedAt = at,
        TrainedAt = DbValues.Time(model.TrainedAt),
        ReviewThreshold = model.ReviewThreshold,
        StatusAt = at,
        MetricsJson = JsonSerializer.Serialize(model.Metrics, Json),
        TrainingJson = JsonSerializer.Serialize(model.Training, Json),
    };

    public ModelInfo ToInfo() => new(
        Id, Status, Sha256, DbValues.ParseTime(CreatedAt),
        JsonSerializer.Deserialize<ModelMetrics>(MetricsJson, Json) ?? new ModelMetrics(null, null, null),
        DbValues.ParseOptionalTime(TrainedAt), ReviewThreshold, Bytes, DbValues.ParseTime(StatusAt),
        JsonSerializer.Deserialize<ModelTraining>(TrainingJson, Json) ?? ModelTraining.None);
}

/// <summary>A live model's id, status and hash.</summary>
internal sealed class LiveRow
{
    public string Id { get; init; } = "";
    public string Status { get; init; } = "";
    public string Sha256 { get; init; } = "";

    public static LiveModelIds ToIds(IEnumerable<LiveRow> rows)
    {
        var list = rows.ToList();
        var active = list.FirstOrDefault(r => r.Status == ModelStatus.Active);
        var shadow = list.FirstOrDefault(r => r.Status == ModelStatus.Shadow);
        return new LiveModelIds(active?.Id, active?.Sha256, shadow?.Id, shadow?.Sha256);
    }
}

internal sealed class ModelEventRow
{
    public string Id { get; init; } = "";
    public string ModelId { get; init; } = "";
    public string At { get; init; } = "";
    public string Actor { get; init; } = "";
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public bool Forced { get; init; }
    public string? Comparison { get; init; }

    public ModelEvent ToEvent() => new(Id, ModelId, DbValues.ParseTime(At), Actor, FromStatus, ToStatus, Forced, Comparison);
}

internal sealed class ShadowVerdictRow
{
    public string Model { get; init; } = "";
    public string Label { get; init; } = "";
    public double Score { get; init; }
    public string ScoresJson { get; init; } = "{}";
    public string ClassifiedAt { get; init; } = "";

    public ShadowVerdict ToVerdict() => new(Model, Label, Score, DbValues.ParseScores(ScoresJson), DbValues.ParseTime(ClassifiedAt));
}

internal sealed class ShadowCountsRow
{
    public int Compared { get; init; }
    public int BothFlagged { get; init; }
    public int ShadowOnly { get; init; }
    public int ActiveOnly { get; init; }
    public int SameLabel { get; init; }
    public int Decided { get; init; }
    public int Confirmed { get; init; }
    public int ShadowFlaggedConfirmed { get; init; }
    public int ShadowFlaggedRejected { get; init; }
    public int ActiveFlaggedConfirmed { get; init; }
    public int ActiveFlaggedRejected { get; init; }

    public ShadowCounts ToCounts(IReadOnlyList<ShadowDisagreement> shadowOnly, IReadOnlyList<ShadowDisagreement> activeOnly) => new(
        Compared, BothFlagged, ShadowOnly, ActiveOnly, SameLabel, Decided, Confirmed, ShadowFlaggedConfirmed, ShadowFlaggedRejected,
        ActiveFlaggedConfirmed, ActiveFlaggedRejected, shadowOnly, activeOnly);
}

internal sealed class DisagreementRow
{
    public string ItemId { get; init; } = "";
    public string Status { get; init; } = "";
    public string ActiveModel { get; init; } = "";
    public string ActiveLabel { get; init; } = "";
    public double ActiveScore { get; init; }
    public string ShadowLabel { get; init; } = "";
    public double ShadowScore { get; init; }

    public ShadowDisagreement ToDisagreement() => new(ItemId, Status, ActiveModel, ActiveLabel, ActiveScore, ShadowLabel, ShadowScore);
}

internal sealed class DecidedRow
{
    public string Id { get; init; } = "";
    public string Text { get; init; } = "";
    public string? Title { get; init; }
    public string Kind { get; init; } = "";
    public string? Language { get; init; }
    public string Status { get; init; } = "";
    public string DecidedAt { get; init; } = "";

    public DecidedItem ToItem() => new(Id, Text, Title, Kind, Language, Status, DbValues.ParseTime(DecidedAt));
}

internal sealed class NoteRow
{
    public string Id { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string At { get; init; } = "";
    public string Actor { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Note { get; init; } = "";
    public string? ModelId { get; init; }
    public string? RunId { get; init; }

    public ItemNote ToNote() => new(Id, ItemId, DbValues.ParseTime(At), Actor, Kind, Note, ModelId, RunId);
}

internal sealed class ScoreBinRow
{
    public int Bin { get; init; }
    public int Count { get; init; }

    /// <summary>Ten bins, empty ones included.</summary>
    public static IReadOnlyList<ScoreBin> ToBins(IEnumerable<ScoreBinRow> rows)
    {
        var counts = new int[10];
        foreach (var row in rows)
        {
            counts[Math.Clamp(row.Bin, 0, 9)] += row.Count;
        }

        return [.. counts.Select((count, bin) => new ScoreBin(bin / 10.0, count))];
    }
}

internal sealed class ModelPrecisionRow
{
    public string Model { get; init; } = "";
    public int Confirmed { get; init; }
    public int Rejected { get; init; }
}

/// <summary>A rescore run and its counts.</summary>
internal sealed class RescoreRunRow
{
    public const string Columns = """
        id AS Id, model_id AS ModelId, since AS Since, include_dismissed AS IncludeDismissed, dismissed_from AS DismissedFrom,
        dismissed_to AS DismissedTo, created_at AS CreatedAt, created_by AS CreatedBy, total AS Total, batches AS Batches
        """;

    public const string SelectById = "SELECT " + Columns + " FROM rescore_runs WHERE id = @id;";

    public const string BatchesDone = "SELECT COUNT(*) FROM rescore_batches WHERE run_id = @id AND done_at IS NOT NULL;";

    public const string Outcomes = """
        SELECT outcome AS Outcome, COUNT(*) AS Count
        FROM rescore_items
        WHERE run_id = @id AND outcome IS NOT NULL
        GROUP BY outcome;
        """;

    public const string InsertRun = """
        INSERT INTO rescore_runs (id, model_id, since, include_dismissed, dismissed_from, dismissed_to, created_at, created_by, total, batches)
        VALUES (@id, @modelId, @since, @includeDismissed, @dismissedFrom, @dismissedTo, @createdAt, @createdBy, 0, 0);
        """;

    public const string InsertBatches = """
        INSERT INTO rescore_batches (run_id, batch)
        SELECT DISTINCT run_id, batch FROM rescore_items WHERE run_id = @id;
        """;

    public const string SetCounts = """
        UPDATE rescore_runs
        SET total = (SELECT COUNT(*) FROM rescore_items WHERE run_id = @id),
            batches = (SELECT COUNT(*) FROM rescore_batches WHERE run_id = @id)
        WHERE id = @id;
        """;

    /// <summary>The items of a batch not yet done, as they stand now.</summary>
    public const string BatchItems = """
        SELECT i.id AS ItemId, i.status AS Status, i.text AS Text, i.title AS Title, i.kind AS Kind, i.language AS Language,
               i.score AS Score, i.model_version AS Model, i.evidence_json AS EvidenceJson
        FROM rescore_items r
        JOIN items i ON i.id = r.item_id
        WHERE r.run_id = @runId AND r.batch = @batch AND r.outcome IS NULL;
        """;

    /// <summary>An item in review gets the rescoring model's verdict; its classification time stays.</summary>
    public const string Rescore = """
        UPDATE items
        SET label = @Label, score = @Score, scores_json = @ScoresJson, evidence_json = @EvidenceJson, model_version = @Model
        WHERE id = @ItemId AND status = 'in_review';
        """;

    /// <summary>A dismissed item the rescoring model flags goes back to review with its new verdict.</summary>
    public const string Requeue = """
        UPDATE items
        SET status = 'in_review', label = @Label, score = @Score, scores_json = @ScoresJson, evidence_json = @EvidenceJson, model_version = @Model
        WHERE id = @ItemId AND status = 'dismissed';
        """;

    public const string InsertNote = """
        INSERT INTO item_notes (id, item_id, at, actor, kind, note, model_id, run_id)
        VALUES (@id, @itemId, @at, @actor, @kind, @note, @modelId, @runId);
        """;

    /// <summary>An item's outcome, written once (a batch finished twice after a lost lease keeps the first).</summary>
    public const string SetOutcome = "UPDATE rescore_items SET outcome = @outcome, score = @score WHERE run_id = @runId AND item_id = @itemId AND outcome IS NULL;";

    public const string FinishBatch = "UPDATE rescore_batches SET done_at = @at, claim_until = NULL WHERE run_id = @runId AND batch = @batch;";

    /// <summary>The parameters of a new run's statements (<see cref="InsertRun"/> and the provider's item numbering).</summary>
    public static object Parameters(string id, RescoreRequest request, int batchSize, string actor, DateTimeOffset now) => new
    {
        id,
        modelId = request.ModelId,
        since = DbValues.Time(request.Since),
        includeDismissed = request.IncludeDismissed,
        dismissedFrom = DbValues.Time(request.DismissedFrom),
        dismissedTo = DbValues.Time(request.DismissedTo),
        createdAt = DbValues.Time(now),
        createdBy = actor,
        batchSize,
    };

    public string Id { get; init; } = "";
    public string ModelId { get; init; } = "";
    public string Since { get; init; } = "";
    public bool IncludeDismissed { get; init; }
    public string DismissedFrom { get; init; } = "";
    public string DismissedTo { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public int Total { get; init; }
    public int Batches { get; init; }

    public RescoreRun ToRun(int batchesDone, IReadOnlyDictionary<string, int> outcomes) => new(
        Id, ModelId, DbValues.ParseTime(Since), IncludeDismissed, DbValues.ParseTime(DismissedFrom), DbValues.ParseTime(DismissedTo),
        DbValues.ParseTime(CreatedAt), CreatedBy, Total, Batches, batchesDone, outcomes);
}

internal sealed class OutcomeCountRow
{
    public string Outcome { get; init; } = "";
    public int Count { get; init; }
}

internal sealed class RescoreItemRow
{
    public string ItemId { get; init; } = "";
    public string Status { get; init; } = "";
    public string Text { get; init; } = "";
    public string? Title { get; init; }
    public string Kind { get; init; } = "";
    public string? Language { get; init; }
    public double? Score { get; init; }
    public string? Model { get; init; }
    public string? EvidenceJson { get; init; }

    public RescoreItem ToItem() => new(ItemId, Status, Text, Title, Kind, Language, Score, Model, DbValues.ParseEvidence(EvidenceJson));
}

internal sealed class OpenBatchRow
{
    public string RunId { get; init; } = "";
    public int Batch { get; init; }
    public int Batches { get; init; }
}

/// <summary>The verdict a rescore writes, as both providers bind it.</summary>
internal sealed class RescoreVerdictRow
{
    public string ItemId { get; init; } = "";
    public string Label { get; init; } = "";
    public double Score { get; init; }
    public string ScoresJson { get; init; } = "";
    public string? EvidenceJson { get; init; }
    public string Model { get; init; } = "";

    public static RescoreVerdictRow From(RescoreOutcome outcome) => new()
    {
        ItemId = outcome.ItemId,
        Label = outcome.Verdict!.Label,
        Score = outcome.Verdict.Score,
        ScoresJson = DbValues.Scores(outcome.Verdict.Scores),
        EvidenceJson = DbValues.Evidence(outcome.Verdict.Evidence),
        Model = outcome.Verdict.Model,
    };
}
