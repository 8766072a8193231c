using ContentWatch.Core.Reports;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerTransparencyStore(SqlServerConnectionFactory db) : ITransparencyStore
{
    private const string Notices = FollowUpSql.Notices;

    private const string FlagDecisions = FollowUpSql.FlagDecisions;

    public async Task<IReadOnlyList<NoticeOutcome>> NoticesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<NoticeOutcomeRow>(new CommandDefinition(Notices, new { from = DbValues.Time(from), to = DbValues.Time(to) }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToOutcome()).ToList();
    }

    public async Task<IReadOnlyList<FlagDecision>> FlagDecisionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<FlagDecisionRow>(new CommandDefinition(FlagDecisions, new { from = DbValues.Time(from), to = DbValues.Time(to) }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToDecision()).ToList();
    }
}
