using ContentWatch.Core;
using ContentWatch.Core.Models;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerRescoreStore(SqlServerConnectionFactory db, TimeProvider time) : IRescoreStore
{
    private const string InsertRun = RescoreRunRow.InsertRun;
    private const string InsertBatches = RescoreRunRow.InsertBatches;
    private const string SetCounts = RescoreRunRow.SetCounts;
    private const string SelectRun = RescoreRunRow.SelectById;
    private const string BatchesDone = RescoreRunRow.BatchesDone;
    private const string Outcomes = RescoreRunRow.Outcomes;
    private const string BatchItems = RescoreRunRow.BatchItems;
    private const string Rescore = RescoreRunRow.Rescore;
    private const string Requeue = RescoreRunRow.Requeue;
    private const string InsertNote = RescoreRunRow.InsertNote;
    private const string SetOutcome = RescoreRunRow.SetOutcome;
    private const string FinishBatch = RescoreRunRow.FinishBatch;

    // Batches are numbered from 1 in first-report order; the items are fixed when the run is created.
    private const string InsertItems = """
        INSERT INTO rescore_items (run_id, item_id, batch)
        SELECT @id, id, (ROW_NUMBER() OVER (ORDER BY first_reported_at, seq) - 1) / @batchSize + 1
        FROM items
        WHERE (status IN (N'pending', N'in_review') AND first_reported_at >= @since)
           OR (@includeDismissed = 1 AND status = N'dismissed' AND first_reported_at >= @dismissedFrom AND first_reported_at < @dismissedTo);
        """;

    // Leases are taken and tested on the server's clock, as classification's claims are.
    private const string OpenBatches = SqlServerClock.Now + """
        SELECT TOP (@limit) b.run_id AS RunId, b.batch AS Batch, r.batches AS Batches
        FROM rescore_batches b
        JOIN rescore_runs r ON r.id = b.run_id
        WHERE b.done_at IS NULL AND (b.claim_until IS NULL OR b.claim_until <= @now)
        ORDER BY b.run_id, b.batch;
        """;

    private const string ClaimBatch = SqlServerClock.NowAndLease + """
        UPDATE rescore_batches
        SET claim_until = @until
        WHERE run_id = @runId AND batch = @batch AND done_at IS NULL AND (claim_until IS NULL OR claim_until <= @now);
        SELECT @@ROWCOUNT;
        """;

    public Task<RescoreRun> CreateRunAsync(RescoreRequest request, int batchSize, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var id = Ids.New();
        var parameters = RescoreRunRow.Parameters(id, request, batchSize, actor, time.GetUtcNow());
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                foreach (var sql in new[] { InsertRun, InsertItems, InsertBatches, SetCounts })
                {
                    await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, commandTimeout: 600, cancellationToken: ct)).ConfigureAwait(false);
                }

                return (await GetRunAsync(connection, transaction, id, ct).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    public Task<RescoreRun?> GetRunAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync((connection, ct) => GetRunAsync(connection, null, id, ct), cancellationToken);

    public Task<IReadOnlyList<OpenBatch>> GetOpenBatchesAsync(int limit, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var rows = await connection.QueryAsync<OpenBatchRow>(new CommandDefinition(OpenBatches, new { limit }, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<OpenBatch>)[.. rows.Select(r => new OpenBatch(r.RunId, r.Batch, r.Batches))];
            },
            cancellationToken);

    public Task<IReadOnlyList<RescoreItem>?> ClaimBatchAsync(string runId, int batch, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var leaseMs = (int)Math.Min(int.MaxValue, Math.Ceiling(lease.TotalMilliseconds));
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var claimed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(ClaimBatch, new { runId, batch, lease_ms = leaseMs }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (claimed == 0)
                {
                    return null;
                }

                var rows = await connection.QueryAsync<RescoreItemRow>(new CommandDefinition(BatchItems, new { runId, batch }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return (IReadOnlyList<RescoreItem>?)[.. rows.Select(r => r.ToItem())];
            },
            cancellationToken);
    }

    public Task CompleteBatchAsync(string runId, int batch, IReadOnlyList<RescoreOutcome> outcomes, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                var run = await GetRunAsync(connection, transaction, runId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"No rescore run {runId}.");
                foreach (var outcome in outcomes)
                {
                    var written = outcome.Outcome;
                    if (outcome.Outcome == RescoreOutcomes.Rescored)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(Rescore, RescoreVerdictRow.From(outcome), transaction, cancellationToken: ct)).ConfigureAwait(false);
                    }
                    else if (outcome.Outcome == RescoreOutcomes.Requeued)
                    {
                        var requeued = await connection.ExecuteAsync(new CommandDefinition(Requeue, RescoreVerdictRow.From(outcome), transaction, cancellationToken: ct)).ConfigureAwait(false);
                        if (requeued == 1)
                        {
                            await connection.ExecuteAsync(new CommandDefinition(InsertNote,
                                new { id = Ids.New(), itemId = outcome.ItemId, at = now, actor, kind = "rescore", note = outcome.Note ?? "", modelId = run.ModelId, runId },
                                transaction, cancellationToken: ct)).ConfigureAwait(false);
                        }
                        else
                        {
                            written = RescoreOutcomes.Skipped;
                        }
                    }

                    await connection.ExecuteAsync(new CommandDefinition(SetOutcome,
                        new { runId, itemId = outcome.ItemId, outcome = written, score = outcome.Verdict?.Score }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                }

                await connection.ExecuteAsync(new CommandDefinition(FinishBatch, new { runId, batch, at = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);
    }

    private static async Task<RescoreRun?> GetRunAsync(SqlConnection connection, SqlTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RescoreRunRow>(new CommandDefinition(SelectRun, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var done = await connection.ExecuteScalarAsync<int>(new CommandDefinition(BatchesDone, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var outcomes = await connection.QueryAsync<OutcomeCountRow>(new CommandDefinition(Outcomes, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.ToRun(done, outcomes.ToDictionary(o => o.Outcome, o => o.Count, StringComparer.Ordinal));
    }
}
