using ContentWatch.Core.Rechecks;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteRecheckStore(SqliteConnectionFactory db, TimeProvider time) : IRecheckStore
{
    public async Task<IReadOnlyList<OpenReferral>> OpenReferralsAsync(int limit, CancellationToken cancellationToken)
    {
        // Never checked (observed_at NULL sorts first), then the longest ago.
        const string sql = """
            SELECT r.id AS Id, r.platform AS Platform, i.url AS Url, r.observed_sha256 AS LastContentSha256
            FROM referrals r
            JOIN items i ON i.id = r.item_id
            WHERE r.status IN ('pending', 'exported', 'received')
            ORDER BY r.observed_at, r.created_at
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OpenRow>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToReferral()).ToList();
    }

    public async Task<bool> RecordCheckAsync(CheckResult check, int goneAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var parameters = CheckRow.Parameters(check, goneAfter, DbValues.Time(time.GetUtcNow()));
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.InsertCheck, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.Observe, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var removed = await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.MarkObservedRemoved, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
        if (removed)
        {
            await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.ObservedRemovalEvent, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<IReadOnlyList<NotifiedReferral>> NotifiedOpenAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<NotifiedRow>(new CommandDefinition(
            FollowUpSql.NotifiedOpen, new { sentBefore = DbValues.Time(sentBefore) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToReferral()).ToList();
    }
}
