namespace ContentWatch.Core.Reports;

/// <summary>A notice sent in the period: a referral whose export batch was created then, with its outcome so far.</summary>
public sealed record NoticeOutcome(
    string ReferralId, string Platform, string Category, string? Language, string Status, string? StatusSource, DateTimeOffset NoticeSentAt, DateTimeOffset? StatusAt);

/// <summary>An officer's first decision on an item the model flagged (it was in review), decided in the period.</summary>
public sealed record FlagDecision(string Platform, string? Label, string? Language, string Decision);

public interface ITransparencyStore
{
    /// <summary>Referrals whose notice went out (export batch created) in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<NoticeOutcome>> NoticesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>First decisions on flagged items (<c>status_before = in_review</c>) taken in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<FlagDecision>> FlagDecisionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>
/// One line of the transparency report, for a platform, a category and a language (<c>*</c> in a total line). Removal
/// rates are removals over notices sent; times run from the notice to the removal (reported by the platform, or the
/// first of the gone checks that marked it removed). Precision is confirmed ÷ (confirmed + rejected) of officers' first
/// decisions on items the model flagged, by the model's label; null where nothing was decided.
/// </summary>
public sealed record TransparencyLine(
    string Platform,
    string Category,
    string Language,
    int NoticesSent,
    IReadOnlyDictionary<string, int> Outcomes,
    int RemovedReported,
    int RemovedObserved,
    double? RemovalRate,
    double? RemovalRateReported,
    double? RemovalRateObserved,
    double? MedianHoursToRemoval,
    double? P90HoursToRemoval,
    int Overdue,
    int FlagsConfirmed,
    int FlagsRejected,
    double? Precision);

/// <summary>The report for [<see cref="From"/>, <see cref="To"/>): per platform, category and language; per platform; and in all.</summary>
public sealed record TransparencyReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    string Notifier,
    IReadOnlyList<TransparencyLine> Lines,
    IReadOnlyList<TransparencyLine> Platforms,
    TransparencyLine Total);
