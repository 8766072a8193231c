using ContentWatch.Core.Review;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteDeskStore(SqliteConnectionFactory db) : IDeskStore
{
    public async Task<QueuePage> GetQueuePageAsync(QueueFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        // substr counts code points, so 280 of them hold at least the 280 UTF-16 characters of the excerpt.
        const string select = """
            SELECT id AS Id, label AS Label, score AS Score, report_count AS ReportCount, platform AS Platform, language AS Language,
                   url AS Url, substr(text, 1, 280) AS Text, first_reported_at AS FirstReportedAt
            FROM items
            """;
        const string order = """

            ORDER BY (score * report_count) DESC, watchlisted DESC, first_reported_at, id
            LIMIT @limit OFFSET @offset;
            """;

        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var where = Where(filter);
        var parameters = LineRow.Parameters(filter, offset, limit);

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM items" + where + ";", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (limit <= 0)
        {
            return new QueuePage([], total);
        }

        var rows = await connection.QueryAsync<LineRow>(new CommandDefinition(select + where + order, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var lines = rows.Select(r => r.ToLine()).ToList();
        return new QueuePage(lines, total);
    }

    /// <summary>The queue's condition with a fixed fragment per filter given; values are always parameters.</summary>
    private static string Where(QueueFilter filter)
    {
        var conditions = new List<string> { "status = 'in_review'" };
        if (filter.Platform is not null)
        {
            conditions.Add("platform = @Platform");
        }

        if (filter.Label is not null)
        {
            conditions.Add("label = @Label");
        }

        if (filter.Language is not null)
        {
            conditions.Add("language = @Language");
        }

        if (filter.MinScore is not null)
        {
            conditions.Add("score >= @MinScore");
        }

        if (filter.MaxScore is not null)
        {
            conditions.Add("score <= @MaxScore");
        }

        if (filter.ReportedAfter is not null)
        {
            conditions.Add("first_reported_at >= @ReportedAfter");
        }

        if (filter.ReportedBefore is not null)
        {
            conditions.Add("first_reported_at < @ReportedBefore");
        }

        return "\nWHERE " + string.Join(" AND ", conditions);
    }

    public async Task<DashboardFigures> GetDashboardAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string flagged = """
            SELECT substr(classified_at, 1, 10) AS Day, COUNT(*) AS Count
            FROM items
            WHERE classified_at >= @since AND status IN ('in_review', 'confirmed', 'rejected')
            GROUP BY substr(classified_at, 1, 10)
            ORDER BY Day;
            """;
        const string decided = """
            SELECT substr(at, 1, 10) AS Day,
                   SUM(CASE WHEN decision = 'confirm' THEN 1 ELSE 0 END) AS Confirmed,
                   SUM(CASE WHEN decision = 'reject' THEN 1 ELSE 0 END) AS Rejected
            FROM decisions
            WHERE at >= @since
            GROUP BY substr(at, 1, 10)
            ORDER BY Day;
            """;
        const string flaggedDecided = """
            SELECT substr(at, 1, 10) AS Day,
                   SUM(CASE WHEN decision = 'confirm' THEN 1 ELSE 0 END) AS Confirmed,
                   SUM(CASE WHEN decision = 'reject' THEN 1 ELSE 0 END) AS Rejected
            FROM decisions
            WHERE at >= @since AND status_before = 'in_review'
            GROUP BY substr(at, 1, 10)
            ORDER BY Day;
            """;

        var parameters = new { since = DbValues.Time(since) };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var flaggedPerDay = await connection.QueryAsync<DayRow>(new CommandDefinition(flagged, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var decisionsPerDay = await connection.QueryAsync<DecisionDayRow>(new CommandDefinition(decided, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var flaggedDecisionsPerDay = await connection.QueryAsync<DecisionDayRow>(new CommandDefinition(flaggedDecided, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new DashboardFigures(
            flaggedPerDay.Select(r => r.ToDayCount()).ToList(),
            decisionsPerDay.Select(r => r.ToDayDecisions()).ToList(),
            flaggedDecisionsPerDay.Select(r => r.ToDayDecisions()).ToList(),
            await GetPlatformOutcomesAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<PlatformOutcomes>> GetPlatformOutcomesAsync(CancellationToken cancellationToken)
    {
        const string byStatus = """
            SELECT platform AS Platform, status AS Status, COUNT(*) AS Count
            FROM referrals
            GROUP BY platform, status;
            """;
        const string removed = """
            SELECT platform AS Platform, decided_at AS DecidedAt, status_at AS StatusAt
            FROM referrals
            WHERE status = 'removed' AND status_at IS NOT NULL;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = await connection.QueryAsync<StatusRow>(new CommandDefinition(byStatus, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var removals = await connection.QueryAsync<RemovalRow>(new CommandDefinition(removed, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return StatusRow.Outcomes(counts, removals);
    }

    public async Task<OpenWork> CountOpenWorkAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<OpenWorkRow>(new CommandDefinition(OpenWorkRow.Sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.ToOpenWork();
    }
}
