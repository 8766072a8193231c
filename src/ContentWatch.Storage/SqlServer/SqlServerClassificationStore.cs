using ContentWatch.Core;
using ContentWatch.Core.Classification;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerClassificationStore(SqlServerConnectionFactory db) : IClassificationStore
{
    // The queue pattern: UPDLOCK holds the rows picked until the update, READPAST skips rows another claimer holds,
    // so concurrent claimers take disjoint sets. items has no triggers, so OUTPUT can return the rows directly.
    // A lease is read and written on the server's clock, the one clock every node shares: a node whose own clock runs
    // ahead would otherwise take over live batches, and one that runs behind would leave dead ones waiting.
    private const string Claim = SqlServerClock.NowAndLease + """
        WITH claim AS (
            SELECT TOP (@max) id, text, title, kind, language, claim_token, claim_until
            FROM items WITH (ROWLOCK, READPAST, UPDLOCK)
            WHERE status = N'pending' AND (claim_until IS NULL OR claim_until <= @now)
            ORDER BY first_reported_at, seq)
        UPDATE claim
        SET claim_token = @token, claim_until = @until
        OUTPUT inserted.id AS Id, inserted.text AS Text, inserted.title AS Title, inserted.kind AS Kind, inserted.language AS Language;
        """;

    // A verdict lands only on an item still pending, or one decided by an officer before it was classified: a worker
    // whose lease ran out cannot overwrite the verdict of the worker that took the item over and finished first.
    // SQL Server refuses OUTPUT ... INTO a table on either side of a foreign key (Msg 332), and verdict_writes refers to
    // items; so the write goes OUTPUT ... INTO a table variable, then into verdict_writes, in the same transaction.
    // written_at is the server's time, as SQLite's trigger writes its own.
    private const string SaveVerdict = """
        DECLARE @written TABLE (
            item_id       nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL,
            claim_token   nvarchar(32)  COLLATE Latin1_General_100_BIN2 NULL,
            model_version nvarchar(200) NULL);
        DECLARE @now_utc datetime2(3) = SYSUTCDATETIME();
        UPDATE items
        SET label = @Label, score = @Score, scores_json = @ScoresJson, evidence_json = @EvidenceJson, model_version = @Model, classified_at = @ClassifiedAt,
            status = CASE WHEN status = N'pending' THEN @Status ELSE status END, claim_token = NULL, claim_until = NULL,
            language = COALESCE(language, @Language)
        OUTPUT inserted.id, deleted.claim_token, inserted.model_version INTO @written (item_id, claim_token, model_version)
        WHERE id = @Id AND (status = N'pending' OR classified_at IS NULL);
        INSERT INTO verdict_writes (item_id, claim_token, model_version, written_at)
        SELECT item_id, claim_token, model_version,
               CONVERT(nchar(19), @now_utc, 126) + N'.' + RIGHT(N'00' + CONVERT(nvarchar(3), DATEPART(millisecond, @now_utc)), 3) + N'Z'
        FROM @written;
        INSERT INTO shadow_verdicts (item_id, model_id, label, score, scores_json, classified_at)
        SELECT w.item_id, @ShadowModel, @ShadowLabel, @ShadowScore, @ShadowScoresJson, @ClassifiedAt
        FROM @written w
        WHERE @ShadowModel IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM shadow_verdicts s WHERE s.item_id = w.item_id AND s.model_id = @ShadowModel);
        """;

    // One item of a rescore batch, claimed as Claim does (the lease on the server's clock).
    private const string ClaimItem = SqlServerClock.NowAndLease + """
        UPDATE items
        SET claim_token = @token, claim_until = @until
        OUTPUT inserted.id AS Id, inserted.text AS Text, inserted.title AS Title, inserted.kind AS Kind, inserted.language AS Language
        WHERE id = @id AND status = N'pending' AND (claim_until IS NULL OR claim_until <= @now);
        """;

    private const string CountPending = "SELECT COUNT(*) FROM items WHERE status = N'pending';";

    public async Task<IReadOnlyList<ItemToClassify>> ClaimPendingAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (max <= 0)
        {
            return [];
        }

        return await db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var claimed = await connection.QueryAsync<ItemToClassify>(new CommandDefinition(
                    Claim,
                    new { token = Ids.New(), lease_ms = LeaseMilliseconds(lease), max },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<ItemToClassify>)claimed.AsList();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ItemToClassify>> ClaimItemsAsync(IReadOnlyList<string> ids, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        if (ids.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ItemToClassify>>([]);
        }

        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var token = Ids.New();
                var claimed = new List<ItemToClassify>();
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    claimed.AddRange(await connection.QueryAsync<ItemToClassify>(new CommandDefinition(
                        ClaimItem, new { id, token, lease_ms = LeaseMilliseconds(lease) }, transaction, cancellationToken: ct)).ConfigureAwait(false));
                }

                return (IReadOnlyList<ItemToClassify>)claimed;
            },
            cancellationToken);
    }

    public async Task SaveVerdictsAsync(IReadOnlyList<ClassifiedItem> items, CancellationToken cancellationToken)
    {
        var rows = VerdictRow.From(items);
        if (rows.Count == 0)
        {
            return;
        }

        // Dapper runs the statement once per row, all in one transaction.
        await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(SaveVerdict, rows, transaction, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lease in whole milliseconds, at least one, as DATEADD takes it.</summary>
    private static int LeaseMilliseconds(TimeSpan lease) =>
        lease <= TimeSpan.FromMilliseconds(int.MaxValue) ? Math.Max(1, (int)Math.Ceiling(lease.TotalMilliseconds)) : throw new ArgumentOutOfRangeException(nameof(lease));

    public Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        db.RunAsync((connection, ct) => connection.ExecuteScalarAsync<int>(new CommandDefinition(CountPending, cancellationToken: ct)), cancellationToken);
}
