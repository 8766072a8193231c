using System.Runtime.CompilerServices;
using ContentWatch.Core.Audit;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteAuditStore(SqliteConnectionFactory db) : IAuditStore
{
    public async IAsyncEnumerable<ChainedDecision> ReadDecisionChainAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // rowid is the order the records were written in: the chain's order.
        const string sql = """
            SELECT id AS Id, item_id AS ItemId, actor AS Actor, at AS At, decision AS Decision, category AS Category, reason AS Reason,
                   status_before AS StatusBefore, label_before AS LabelBefore, score_before AS ScoreBefore, status_after AS StatusAfter,
                   referral_id AS ReferralId, cluster_id AS ClusterId, prev_hash AS PreviousHash, hash AS Hash
            FROM decisions
            ORDER BY rowid;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<AuditRow>(sql).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToDecision();
        }
    }

    public async IAsyncEnumerable<ChainedWatchlistEvent> ReadWatchlistChainAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = "SELECT " + WatchlistEventRow.ChainColumns + " FROM watchlist_events ORDER BY rowid;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<WatchlistEventRow>(sql).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToChained();
        }
    }

    public async IAsyncEnumerable<EvidenceSnapshot> ReadSnapshotsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<SnapshotRow>(FollowUpSql.Snapshots).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToSnapshot();
        }
    }

    public async Task<bool> SealAsync(EvidenceSnapshot snapshot, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO evidence_snapshots (referral_id, item_id, sealed_at, sha256, snapshot)
            VALUES (@ReferralId, @ItemId, @SealedAt, @Sha256, @Snapshot)
            ON CONFLICT (referral_id) DO NOTHING;
            """;

        ArgumentNullException.ThrowIfNull(snapshot);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(sql, SnapshotRow.Parameters(snapshot), cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task<EvidenceSnapshot?> GetSnapshotAsync(string referralId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(FollowUpSql.Snapshot, new { referralId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToSnapshot();
    }

    public async Task<IReadOnlyList<(string ReferralId, string ItemId)>> UnsealedAsync(int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id AS ReferralId, r.item_id AS ItemId
            FROM referrals r
            WHERE NOT EXISTS (SELECT 1 FROM evidence_snapshots s WHERE s.referral_id = r.id)
            ORDER BY r.created_at
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UnsealedRow>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (r.ReferralId, r.ItemId)).ToList();
    }
}
