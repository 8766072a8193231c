using ContentWatch.Core.Reports;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteTransparencyStore(SqliteConnectionFactory db) : ITransparencyStore
{
    public async Task<IReadOnlyList<NoticeOutcome>> NoticesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NoticeOutcomeRow>(new CommandDefinition(
            FollowUpSql.Notices, new { from = DbValues.Time(from), to = DbValues.Time(to) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToOutcome()).ToList();
    }

    public async Task<IReadOnlyList<FlagDecision>> FlagDecisionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<FlagDecisionRow>(new CommandDefinition(
            FollowUpSql.FlagDecisions, new { from = DbValues.Time(from), to = DbValues.Time(to) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDecision()).ToList();
    }
}
