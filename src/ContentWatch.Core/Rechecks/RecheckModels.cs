namespace ContentWatch.Core.Rechecks;

/// <summary>What a re-check saw: the page is there (<c>live</c>), there with other content (<c>changed</c>), <c>gone</c> (404, 410, 451), or no usable answer (<c>error</c>).</summary>
public static class ObservedState
{
    public const string Live = "live";
    public const string Gone = "gone";
    public const string Changed = "changed";
    public const string Error = "error";
}

/// <summary>Who set a referral's current status: the platform's report, or ContentWatch's own re-checks.</summary>
public static class StatusSource
{
    public const string Platform = "platform";
    public const string Observed = "observed";
}

/// <summary>The last re-check of a referral's URL.</summary>
public sealed record Observation(string State, int? HttpStatus, DateTimeOffset At);

/// <summary>A referral whose URL is re-checked: open (pending, exported or received).</summary>
public sealed record OpenReferral(string Id, string Platform, string Url, string? LastContentSha256);

/// <summary>One re-check's result.</summary>
public sealed record CheckResult(string ReferralId, DateTimeOffset At, string State, int? HttpStatus, string? ContentSha256, string? Error);

/// <summary>A referral the platform was notified of (its batch was exported) and that is still open.</summary>
public sealed record NotifiedReferral(
    string ReferralId, string ItemId, string Platform, string Url, string Category, string Status, string ExportId, DateTimeOffset NoticeSentAt, DateTimeOffset? RemindedAt);

/// <summary>A notified referral past its platform's service level.</summary>
public sealed record OverdueReferral(
    string ReferralId, string ItemId, string Platform, string Url, string Category, string Status, string ExportId,
    DateTimeOffset NoticeSentAt, DateTimeOffset DueAt, double HoursOverdue, DateTimeOffset? RemindedAt);

/// <summary>What one pass did.</summary>
public sealed record RecheckSummary(int Checked, int Live, int Changed, int Gone, int Errors, int MarkedRemoved);

public interface IRecheckStore
{
    /// <summary>Open referrals (pending, exported, received), the longest unchecked first.</summary>
    Task<IReadOnlyList<OpenReferral>> OpenReferralsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records the check and the referral's last observation in one transaction: a <c>gone</c> adds to the count of gone
    /// checks in a row, <c>live</c> and <c>changed</c> reset it, <c>error</c> leaves it. When the count reaches
    /// <paramref name="goneAfter"/> and the referral is still open, it is marked <c>removed</c> with source
    /// <c>observed</c>, as of its first gone check, with a status history row. Returns true when it was so marked.
    /// </summary>
    Task<bool> RecordCheckAsync(CheckResult check, int goneAfter, CancellationToken cancellationToken);

    /// <summary>Open referrals whose notice went out (export batch created) at or before <paramref name="sentBefore"/>.</summary>
    Task<IReadOnlyList<NotifiedReferral>> NotifiedOpenAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken);
}
