using System.Runtime.CompilerServices;
using ContentWatch.Core.Audit;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerAuditStore(SqlServerConnectionFactory db) : IAuditStore
{
    /// <summary>
    /// Taken before a chain's last link is read: an exclusive application lock held to the end of the transaction, so
    /// audit records (decisions, watchlist records) go into their chains one after another.
    /// </summary>
    internal const string ChainLock = """
        DECLARE @locked int;
        EXEC @locked = sp_getapplock @Resource = N'contentwatch:audit-chain', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @locked < 0
            THROW 51001, N'The audit chain lock was not granted within 30 seconds.', 1;

        """;

    // seq is the order the records were written in (the chain lock serialises the writes): the chain's order.
    private const string Chain = """
        SELECT id AS Id, item_id AS ItemId, actor AS Actor, at AS At, decision AS Decision, category AS Category, reason AS Reason,
               status_before AS StatusBefore, label_before AS LabelBefore, score_before AS ScoreBefore, status_after AS StatusAfter,
               referral_id AS ReferralId, cluster_id AS ClusterId, prev_hash AS PreviousHash, hash AS Hash
        FROM decisions
        ORDER BY seq;
        """;

    // seq is the order the records were written in (the watchlist chain lock serialises the writes).
    private const string WatchlistChain = "SELECT " + WatchlistEventRow.ChainColumns + " FROM watchlist_events ORDER BY seq;";

    private const string Snapshots = FollowUpSql.Snapshots;

    private const string Snapshot = FollowUpSql.Snapshot;

    private const string Seal = """
        INSERT INTO evidence_snapshots (referral_id, item_id, sealed_at, sha256, snapshot)
        SELECT @ReferralId, @ItemId, @SealedAt, @Sha256, @Snapshot
        WHERE NOT EXISTS (SELECT 1 FROM evidence_snapshots WITH (UPDLOCK, HOLDLOCK) WHERE referral_id = @ReferralId);
        """;

    private const string Unsealed = """
        SELECT TOP (@limit) r.id AS ReferralId, r.item_id AS ItemId
        FROM referrals r
        WHERE NOT EXISTS (SELECT 1 FROM evidence_snapshots s WHERE s.referral_id = r.id)
        ORDER BY r.created_at, r.seq;
        """;

    public async IAsyncEnumerable<ChainedDecision> ReadDecisionChainAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<AuditRow>(Chain).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToDecision();
        }
    }

    public async IAsyncEnumerable<ChainedWatchlistEvent> ReadWatchlistChainAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<WatchlistEventRow>(WatchlistChain).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToChained();
        }
    }

    public async IAsyncEnumerable<EvidenceSnapshot> ReadSnapshotsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<SnapshotRow>(Snapshots).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return row.ToSnapshot();
        }
    }

    public async Task<bool> SealAsync(EvidenceSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            return await db.InTransactionAsync(
                async (connection, transaction, ct) =>
                    await connection.ExecuteAsync(new CommandDefinition(Seal, SnapshotRow.Parameters(snapshot), transaction, cancellationToken: ct)).ConfigureAwait(false) > 0,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Data.SqlClient.SqlException e) when (SqlRetryPolicy.IsDuplicateKey(e))
        {
            return false;
        }
    }

    public async Task<EvidenceSnapshot?> GetSnapshotAsync(string referralId, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(Snapshot, new { referralId }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToSnapshot();
    }

    public async Task<IReadOnlyList<(string ReferralId, string ItemId)>> UnsealedAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<UnsealedRow>(new CommandDefinition(Unsealed, new { limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (r.ReferralId, r.ItemId)).ToList();
    }
}
