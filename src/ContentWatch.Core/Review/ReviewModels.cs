using ContentWatch.Core.Classification;

namespace ContentWatch.Core.Review;

/// <summary>One line of the review queue.</summary>
public sealed record QueueEntry(string Id, string Label, double Score, int ReportCount, string Platform, string Url, string Excerpt);

/// <summary>An item with everything an officer needs to decide on it.</summary>
public sealed record ItemDetails(
    string Id,
    string Platform,
    string Url,
    string Kind,
    string Status,
    string Text,
    string? Title,
    string? Language,
    string? Author,
    string? ExternalId,
    DateTimeOffset? PostedAt,
    int ReportCount,
    DateTimeOffset FirstReportedAt,
    DateTimeOffset LastReportedAt,
    string TextSha256,
    Verdict? Verdict,
    string? ReferralId)
{
    /// <summary>The indicators found in the item (filled by the API and the desk from <see cref="Networks.INetworkStore"/>).</summary>
    public IReadOnlyList<Networks.Indicator> Indicators { get; init; } = [];

    /// <summary>The item's near-duplicate cluster; null when it has no near-duplicate.</summary>
    public string? ClusterId { get; init; }

    /// <summary>Locations and organisations an entity service found (Azure AI Language, when on).</summary>
    public IReadOnlyList<Networks.ItemEntity> Entities { get; init; } = [];
}

/// <summary>A short listing row for queries over items (e.g. the dismissed ones).</summary>
public sealed record ItemSummary(string Id, string Platform, string Url, string Status, string? Label, double? Score, int ReportCount, DateTimeOffset FirstReportedAt);

/// <summary>
/// One report of an item as received. <see cref="Text"/> and <see cref="Title"/> are set on duplicates only (the first
/// report's are the item's own), so a later report that differs from the first is never lost.
/// </summary>
public sealed record ReportRecord(
    string Id,
    string Source,
    DateTimeOffset ReceivedAt,
    string Url,
    bool Duplicate,
    string? Text,
    string? Title,
    string? ExternalId,
    string? Author,
    DateTimeOffset? PostedAt,
    Intake.Reporter? Reporter);

/// <summary>An officer's decision on an item; <paramref name="ClusterId"/> names the cluster when it was decided with its cluster.</summary>
public sealed record DecisionCommand(string ItemId, string Decision, string Category, string Reason, string Actor, string? ClusterId = null);

/// <summary>The append-only audit record of one decision.</summary>
public sealed record AuditEntry(
    string Id,
    string ItemId,
    string Actor,
    DateTimeOffset At,
    string Decision,
    string? Category,
    string Reason,
    string StatusBefore,
    string? LabelBefore,
    double? ScoreBefore,
    string StatusAfter,
    string? ReferralId,
    string? ClusterId = null);

public enum DecisionOutcome
{
    Recorded,
    ItemNotFound,
    /// <summary>A reject on an item that already has a takedown referral.</summary>
    Conflict,
}

public sealed record DecisionResult(DecisionOutcome Outcome, string? ReferralId, string? Message = null);

public interface IReviewStore
{
    /// <summary>Items waiting for review (<c>in_review</c>), highest score × report count first.</summary>
    Task<IReadOnlyList<QueueEntry>> GetQueueAsync(int limit, CancellationToken cancellationToken);

    Task<ItemDetails?> GetItemAsync(string id, CancellationToken cancellationToken);

    /// <summary>Items by status (any when null) and platform, newest first.</summary>
    Task<IReadOnlyList<ItemSummary>> ListItemsAsync(string? status, string? platform, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a decision and its audit entry in one transaction. A confirm creates the item's referral for its platform
    /// (one per item, however often confirmed), carrying <paramref name="explanation"/> as the notice's explanation.
    /// </summary>
    Task<DecisionResult> RecordDecisionAsync(DecisionCommand command, string explanation, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string itemId, CancellationToken cancellationToken);

    /// <summary>Every report of the item, first received first.</summary>
    Task<IReadOnlyList<ReportRecord>> GetReportsAsync(string itemId, CancellationToken cancellationToken);
}
