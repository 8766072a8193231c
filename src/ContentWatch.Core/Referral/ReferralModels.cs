namespace ContentWatch.Core.Referral;

public static class ReferralStatus
{
    /// <summary>Waiting to go out in the platform's next export batch.</summary>
    public const string Pending = "pending";
    public const string Exported = "exported";
    public const string Received = "received";
    public const string Removed = "removed";
    public const string Rejected = "rejected";
    public const string NotFound = "not_found";

    /// <summary>What a platform may report back.</summary>
    public static readonly IReadOnlyList<string> Reportable = [Received, Removed, Rejected, NotFound];

    public static readonly IReadOnlyList<string> All = [Pending, Exported, Received, Removed, Rejected, NotFound];
}

/// <summary>
/// A takedown referral of one confirmed item to its platform. <see cref="Observed"/> is the last re-check of its URL;
/// <see cref="Source"/> says who set the current status: <c>platform</c> (its report) or <c>observed</c> (re-checks).
/// </summary>
public sealed record ReferralInfo(
    string Id,
    string ItemId,
    string Platform,
    string Url,
    string Category,
    string Status,
    DateTimeOffset CreatedAt,
    string? ExportId,
    DateTimeOffset? StatusAt,
    string? StatusNote,
    Rechecks.Observation? Observed = null,
    string? Source = null);

/// <summary>
/// A platform's report on a referral. With <paramref name="ExpectedStatus"/>, it is recorded only while the referral
/// still has that status, so two reports racing cannot both pass the transition rules.
/// </summary>
public sealed record ReferralStatusUpdate(string ReferralId, string Status, DateTimeOffset At, string? Note, string Actor, string? ExpectedStatus = null);

public interface IReferralStore
{
    Task<ReferralInfo?> GetReferralAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReferralInfo>> ListReferralsAsync(string platform, string? status, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records the status and keeps the history (append-only). Returns false when the referral does not exist, or no
    /// longer has <see cref="ReferralStatusUpdate.ExpectedStatus"/>.
    /// </summary>
    Task<bool> RecordStatusAsync(ReferralStatusUpdate update, CancellationToken cancellationToken);

    /// <summary>Platforms that have referrals waiting for an export batch.</summary>
    Task<IReadOnlyList<string>> PlatformsWithPendingAsync(CancellationToken cancellationToken);
}
