using ContentWatch.Core.Review;

namespace ContentWatch.Storage.Rows;

// The rows the desk stores read, the same for every provider; Dapper converts SQLite's 64-bit integers to int.

/// <summary>A line of the desk's queue, its text cut in SQL to a little over the excerpt.</summary>
internal sealed class LineRow
{
    public string Id { get; init; } = "";
    public string? Label { get; init; }
    public double? Score { get; init; }
    public int ReportCount { get; init; }
    public string Platform { get; init; } = "";
    public string? Language { get; init; }
    public string Url { get; init; } = "";
    public string Text { get; init; } = "";
    public string FirstReportedAt { get; init; } = "";

    /// <summary>The queue query's parameters: the filter's values (times as stored), then the page.</summary>
    public static object Parameters(QueueFilter filter, int offset, int limit) => new
    {
        filter.Platform,
        filter.Label,
        filter.Language,
        filter.MinScore,
        filter.MaxScore,
        ReportedAfter = DbValues.Time(filter.ReportedAfter),
        ReportedBefore = DbValues.Time(filter.ReportedBefore),
        offset,
        limit,
    };

    public QueueLine ToLine() =>
        new(Id, Label ?? "", Score ?? 0, ReportCount, Platform, Language, Url, DbValues.Excerpt(Text), DbValues.ParseTime(FirstReportedAt));
}

/// <summary>A count for one UTC day (yyyy-MM-dd).</summary>
internal sealed class DayRow
{
    public string Day { get; init; } = "";
    public int Count { get; init; }

    public DayCount ToDayCount() => new(Day, Count);
}

/// <summary>The decisions of one UTC day (yyyy-MM-dd).</summary>
internal sealed class DecisionDayRow
{
    public string Day { get; init; } = "";
    public int Confirmed { get; init; }
    public int Rejected { get; init; }

    public DayDecisions ToDayDecisions() => new(Day, Confirmed, Rejected);
}

/// <summary>How many of a platform's referrals have one status.</summary>
internal sealed class StatusRow
{
    public string Platform { get; init; } = "";
    public string Status { get; init; } = "";
    public int Count { get; init; }

    /// <summary>Each platform's referral counts by status and its removal times, in ordinal platform order.</summary>
    public static IReadOnlyList<PlatformOutcomes> Outcomes(IEnumerable<StatusRow> counts, IEnumerable<RemovalRow> removed)
    {
        var removals = removed.ToLookup(r => r.Platform, r => DbValues.ParseTime(r.StatusAt) - DbValues.ParseTime(r.DecidedAt));
        return counts
            .GroupBy(c => c.Platform)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PlatformOutcomes(g.Key, g.ToDictionary(c => c.Status, c => c.Count), removals[g.Key].ToList()))
            .ToList();
    }
}

/// <summary>When a removed referral was decided and when the platform reported the removal.</summary>
internal sealed class RemovalRow
{
    public string Platform { get; init; } = "";
    public string DecidedAt { get; init; } = "";
    public string StatusAt { get; init; } = "";
}

/// <summary>The open work, counted alike by every provider (standard SQL).</summary>
internal sealed class OpenWorkRow
{
    public const string Sql = """
        SELECT (SELECT COUNT(*) FROM items WHERE status = 'in_review') AS InReview,
               (SELECT COUNT(*) FROM referrals WHERE status = 'pending') AS PendingExport;
        """;

    public int InReview { get; init; }
    public int PendingExport { get; init; }

    public OpenWork ToOpenWork() => new(InReview, PendingExport);
}
