namespace ContentWatch.Core.Review;

/// <summary>
/// Filters on the review queue; a null field does not filter. Scores are the verdict's score (0 to 1); the reported
/// bounds compare with the item's first report.
/// </summary>
public sealed record QueueFilter(
    string? Platform = null,
    string? Label = null,
    string? Language = null,
    double? MinScore = null,
    double? MaxScore = null,
    DateTimeOffset? ReportedAfter = null,
    DateTimeOffset? ReportedBefore = null);

/// <summary>One line of the desk's queue: <see cref="Excerpt"/> is the first 280 characters of the text.</summary>
public sealed record QueueLine(
    string Id,
    string Label,
    double Score,
    int ReportCount,
    string Platform,
    string? Language,
    string Url,
    string Excerpt,
    DateTimeOffset FirstReportedAt);

/// <summary>A page of the filtered queue and how many items the filter matches in all.</summary>
public sealed record QueuePage(IReadOnlyList<QueueLine> Lines, int Total);

/// <summary>A count for one UTC day (<c>yyyy-MM-dd</c>).</summary>
public sealed record DayCount(string Day, int Count);

/// <summary>Officers' decisions on one UTC day.</summary>
public sealed record DayDecisions(string Day, int Confirmed, int Rejected);

/// <summary>
/// A platform's referrals by current status, and the referrals it reported removed with the time from the officer's
/// decision to the removal the platform reported.
/// </summary>
public sealed record PlatformOutcomes(string Platform, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyList<TimeSpan> TimesToRemoval)
{
    public int Total => ByStatus.Values.Sum();

    public int Removed => ByStatus.GetValueOrDefault(Referral.ReferralStatus.Removed);

    /// <summary>Removed of all referrals; null when there are none.</summary>
    public double? RemovalRate => Total == 0 ? null : (double)Removed / Total;

    public TimeSpan? MedianTimeToRemoval => Median(TimesToRemoval);

    public static TimeSpan? Median(IReadOnlyList<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>
/// The dashboard's figures since a day. The model's precision as officers measured it counts first decisions on
/// flagged items (decided while <c>in_review</c>), per day in <see cref="FlaggedDecisionsPerDay"/>:
/// confirmed / (confirmed + rejected).
/// </summary>
public sealed record DashboardFigures(
    IReadOnlyList<DayCount> FlaggedPerDay,
    IReadOnlyList<DayDecisions> DecisionsPerDay,
    IReadOnlyList<DayDecisions> FlaggedDecisionsPerDay,
    IReadOnlyList<PlatformOutcomes> Platforms)
{
    public int FlaggedConfirmed => FlaggedDecisionsPerDay.Sum(d => d.Confirmed);

    public int FlaggedRejected => FlaggedDecisionsPerDay.Sum(d => d.Rejected);

    public double? Precision => FlaggedConfirmed + FlaggedRejected == 0 ? null : (double)FlaggedConfirmed / (FlaggedConfirmed + FlaggedRejected);
}

/// <summary>Work waiting for people: items in review, and confirmed referrals not yet in an export batch.</summary>
public sealed record OpenWork(int InReview, int PendingExport);

/// <summary>What the review desk reads besides <see cref="IReviewStore"/>: the filtered queue and the dashboard.</summary>
public interface IDeskStore
{
    /// <summary>Items in review matching <paramref name="filter"/>, in queue order (highest score × report count first).</summary>
    Task<QueuePage> GetQueuePageAsync(QueueFilter filter, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Figures since <paramref name="since"/>: items flagged per day (by the day they were classified; items that went to
    /// review, decided or not), decisions per day, and first decisions on flagged items per day (the precision counts).
    /// Platform outcomes cover all referrals.
    /// </summary>
    Task<DashboardFigures> GetDashboardAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Every platform with referrals, by name.</summary>
    Task<IReadOnlyList<PlatformOutcomes>> GetPlatformOutcomesAsync(CancellationToken cancellationToken);

    /// <summary>The open work, for the metrics' gauges: two counts on indexed columns.</summary>
    Task<OpenWork> CountOpenWorkAsync(CancellationToken cancellationToken);
}
