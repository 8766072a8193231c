using ContentWatch.Core.Rechecks;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerRecheckStore(SqlServerConnectionFactory db, TimeProvider time) : IRecheckStore
{
    // Never checked (observed_at NULL sorts first), then the longest ago.
    private const string Open = """
        SELECT TOP (@limit) r.id AS Id, r.platform AS Platform, i.url AS Url, r.observed_sha256 AS LastContentSha256
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        WHERE r.status IN (N'pending', N'exported', N'received')
        ORDER BY r.observed_at, r.created_at, r.seq;
        """;

    private const string InsertCheck = FollowUpSql.InsertCheck;

    private const string Observe = FollowUpSql.Observe;

    private const string MarkObservedRemoved = FollowUpSql.MarkObservedRemoved;

    private const string ObservedRemovalEvent = FollowUpSql.ObservedRemovalEvent;

    private const string NotifiedOpen = FollowUpSql.NotifiedOpen;

    public async Task<IReadOnlyList<OpenReferral>> OpenReferralsAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<OpenRow>(new CommandDefinition(Open, new { limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToReferral()).ToList();
    }

    public Task<bool> RecordCheckAsync(CheckResult check, int goneAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var parameters = CheckRow.Parameters(check, goneAfter, DbValues.Time(time.GetUtcNow()));
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertCheck, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(Observe, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                var removed = await connection.ExecuteAsync(new CommandDefinition(MarkObservedRemoved, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false) > 0;
                if (removed)
                {
                    await connection.ExecuteAsync(new CommandDefinition(ObservedRemovalEvent, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                }

                return removed;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<NotifiedReferral>> NotifiedOpenAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<NotifiedRow>(new CommandDefinition(NotifiedOpen, new { sentBefore = DbValues.Time(sentBefore) }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToReferral()).ToList();
    }
}
