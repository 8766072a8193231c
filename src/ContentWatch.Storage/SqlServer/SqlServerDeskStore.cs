using ContentWatch.Core.Review;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

/// <summary>The review desk's queue and dashboard on SQL Server, as <see cref="Sqlite.SqliteDeskStore"/>.</summary>
public sealed class SqlServerDeskStore(SqlServerConnectionFactory db) : IDeskStore
{
    // One fixed statement for every filter combination: a filter left out is a NULL parameter, and OPTION (RECOMPILE)
    // plans each call with its values, so the NULL branches fold away. language keeps the database's collation, so it is
    // compared in the binary one, exactly as in SQLite; the other columns are binary already.
    private const string QueueCount = """
        SELECT COUNT(*)
        FROM items
        WHERE status = N'in_review'
          AND (@Platform IS NULL OR platform = @Platform)
          AND (@Label IS NULL OR label = @Label)
          AND (@Language IS NULL OR language = @Language COLLATE Latin1_General_100_BIN2)
          AND (@MinScore IS NULL OR score >= @MinScore)
          AND (@MaxScore IS NULL OR score <= @MaxScore)
          AND (@ReportedAfter IS NULL OR first_reported_at >= @ReportedAfter)
          AND (@ReportedBefore IS NULL OR first_reported_at < @ReportedBefore)
        OPTION (RECOMPILE);
        """;

    // LEFT takes 281 UTF-16 units (or code points under a supplementary-character collation), so DbValues.Excerpt can
    // cut at 280 without splitting a surrogate pair. priority is score * report_count; id breaks ties, as in SQLite.
    private const string QueuePage = """
        SELECT id AS Id, label AS Label, score AS Score, report_count AS ReportCount, platform AS Platform, language AS Language,
               url AS Url, LEFT(text, 281) AS Text, first_reported_at AS FirstReportedAt
        FROM items
        WHERE status = N'in_review'
          AND (@Platform IS NULL OR platform = @Platform)
          AND (@Label IS NULL OR label = @Label)
          AND (@Language IS NULL OR language = @Language COLLATE Latin1_General_100_BIN2)
          AND (@MinScore IS NULL OR score >= @MinScore)
          AND (@MaxScore IS NULL OR score <= @MaxScore)
          AND (@ReportedAfter IS NULL OR first_reported_at >= @ReportedAfter)
          AND (@ReportedBefore IS NULL OR first_reported_at < @ReportedBefore)
        ORDER BY priority DESC, watchlisted DESC, first_reported_at, id
        OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY
        OPTION (RECOMPILE);
        """;

    private const string OpenWorkCounts = OpenWorkRow.Sql;

    // Times are fixed-width ISO text, so the first 10 characters are the UTC day (yyyy-MM-dd), in binary order.
    private const string FlaggedPerDay = """
        SELECT LEFT(classified_at, 10) AS Day, COUNT(*) AS Count
        FROM items
        WHERE classified_at >= @since AND status IN (N'in_review', N'confirmed', N'rejected')
        GROUP BY LEFT(classified_at, 10)
        ORDER BY LEFT(classified_at, 10);
        """;

    private const string DecisionsPerDay = """
        SELECT LEFT(at, 10) AS Day,
               SUM(CASE WHEN decision = N'confirm' THEN 1 ELSE 0 END) AS Confirmed,
               SUM(CASE WHEN decision = N'reject' THEN 1 ELSE 0 END) AS Rejected
        FROM decisions
        WHERE at >= @since
        GROUP BY LEFT(at, 10)
        ORDER BY LEFT(at, 10);
        """;

    // status_before keeps the database's collation; the binary one matches it exactly, as in SQLite.
    private const string FlaggedDecisionsPerDay = """
        SELECT LEFT(at, 10) AS Day,
               SUM(CASE WHEN decision = N'confirm' THEN 1 ELSE 0 END) AS Confirmed,
               SUM(CASE WHEN decision = N'reject' THEN 1 ELSE 0 END) AS Rejected
        FROM decisions
        WHERE at >= @since AND status_before = N'in_review' COLLATE Latin1_General_100_BIN2
        GROUP BY LEFT(at, 10)
        ORDER BY LEFT(at, 10);
        """;

    private const string ReferralsByStatus = """
        SELECT platform AS Platform, status AS Status, COUNT(*) AS Count
        FROM referrals
        GROUP BY platform, status;
        """;

    // The times come back as text and are subtracted in C#, so the median is taken exactly as the SQLite store takes it.
    private const string Removals = """
        SELECT platform AS Platform, decided_at AS DecidedAt, status_at AS StatusAt
        FROM referrals
        WHERE status = N'removed' AND status_at IS NOT NULL;
        """;

    public async Task<QueuePage> GetQueuePageAsync(QueueFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var parameters = LineRow.Parameters(filter, offset, limit);

        var (total, rows) = await db.RunAsync(
            async (connection, ct) =>
            {
                var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(QueueCount, parameters, cancellationToken: ct)).ConfigureAwait(false);
                // FETCH NEXT refuses 0 rows, and SQLite's LIMIT 0 (or a negative limit, which means "all") is not wanted here either.
                var rows = limit <= 0
                    ? []
                    : await connection.QueryAsync<LineRow>(new CommandDefinition(QueuePage, parameters, cancellationToken: ct)).ConfigureAwait(false);
                return (total, rows);
            },
            cancellationToken).ConfigureAwait(false);
        var lines = rows.Select(r => r.ToLine()).ToList();
        return new QueuePage(lines, total);
    }

    public async Task<DashboardFigures> GetDashboardAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var parameters = new { since = DbValues.Time(since) };
        var (flagged, decided, flaggedDecided) = await db.RunAsync(
            async (connection, ct) =>
            {
                var flagged = await connection.QueryAsync<DayRow>(new CommandDefinition(FlaggedPerDay, parameters, cancellationToken: ct)).ConfigureAwait(false);
                var decided = await connection.QueryAsync<DecisionDayRow>(new CommandDefinition(DecisionsPerDay, parameters, cancellationToken: ct)).ConfigureAwait(false);
                var flaggedDecided = await connection.QueryAsync<DecisionDayRow>(new CommandDefinition(FlaggedDecisionsPerDay, parameters, cancellationToken: ct)).ConfigureAwait(false);
                return (flagged, decided, flaggedDecided);
            },
            cancellationToken).ConfigureAwait(false);
        return new DashboardFigures(
            flagged.Select(r => r.ToDayCount()).ToList(),
            decided.Select(r => r.ToDayDecisions()).ToList(),
            flaggedDecided.Select(r => r.ToDayDecisions()).ToList(),
            await GetPlatformOutcomesAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<PlatformOutcomes>> GetPlatformOutcomesAsync(CancellationToken cancellationToken)
    {
        var (counts, removed) = await db.RunAsync(
            async (connection, ct) =>
            {
                var counts = await connection.QueryAsync<StatusRow>(new CommandDefinition(ReferralsByStatus, cancellationToken: ct)).ConfigureAwait(false);
                var removed = await connection.QueryAsync<RemovalRow>(new CommandDefinition(Removals, cancellationToken: ct)).ConfigureAwait(false);
                return (counts, removed);
            },
            cancellationToken).ConfigureAwait(false);
        return StatusRow.Outcomes(counts, removed);
    }

    public async Task<OpenWork> CountOpenWorkAsync(CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleAsync<OpenWorkRow>(new CommandDefinition(OpenWorkCounts, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row.ToOpenWork();
    }
}
