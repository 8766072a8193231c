using ContentWatch.Core;
using ContentWatch.Core.Classification;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerClassificationStore(SqlServerConnectionFactory db, TimeProvider time) : IClassificationStore
{
    // The queue pattern: UPDLOCK holds the rows picked until the update, READPAST skips rows another claimer holds,
    // so concurrent claimers take disjoint sets. items has no triggers, so OUTPUT can return the rows directly.
    private const string Claim = """
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
    private const string SaveVerdict = """
        UPDATE items
        SET label = @Label, score = @Score, scores_json = @ScoresJson, evidence_json = @EvidenceJson, model_version = @Model, classified_at = @ClassifiedAt,
            status = CASE WHEN status = N'pending' THEN @Status ELSE status END, claim_token = NULL, claim_until = NULL,
            language = COALESCE(language, @Language)
        OUTPUT inserted.id, deleted.claim_token, inserted.model_version, @WrittenAt
            INTO verdict_writes (item_id, claim_token, model_version, written_at)
        WHERE id = @Id AND (status = N'pending' OR classified_at IS NULL);
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
                var now = time.GetUtcNow();
                var claimed = await connection.QueryAsync<ItemToClassify>(new CommandDefinition(
                    Claim,
                    new { token = Ids.New(), until = DbValues.Time(now + lease), now = DbValues.Time(now), max },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<ItemToClassify>)claimed.AsList();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveVerdictsAsync(IReadOnlyList<ClassifiedItem> items, CancellationToken cancellationToken)
    {
        var rows = VerdictRow.From(items, DbValues.Time(time.GetUtcNow()));
        if (rows.Count == 0)
        {
            return;
        }

        // Dapper runs the statement once per row, all in one transaction.
        await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(SaveVerdict, rows, transaction, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        db.RunAsync((connection, ct) => connection.ExecuteScalarAsync<int>(new CommandDefinition(CountPending, cancellationToken: ct)), cancellationToken);
}
