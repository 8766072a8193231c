using System.Globalization;
using ContentWatch.Core;
using ContentWatch.Core.Models;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteRescoreStore(SqliteConnectionFactory db, TimeProvider time) : IRescoreStore
{
    public async Task<RescoreRun> CreateRunAsync(RescoreRequest request, int batchSize, string actor, CancellationToken cancellationToken)
    {
        // Batches are numbered from 1 in first-report order; the items are fixed when the run is created.
        const string insertItems = """
            INSERT INTO rescore_items (run_id, item_id, batch)
            SELECT @id, id, (ROW_NUMBER() OVER (ORDER BY first_reported_at, rowid) - 1) / @batchSize + 1
            FROM items
            WHERE (status IN ('pending', 'in_review') AND first_reported_at >= @since)
               OR (@includeDismissed = 1 AND status = 'dismissed' AND first_reported_at >= @dismissedFrom AND first_reported_at < @dismissedTo);
            """;

        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var id = Ids.New();
        var parameters = RescoreRunRow.Parameters(id, request, batchSize, actor, time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            foreach (var sql in new[] { RescoreRunRow.InsertRun, insertItems, RescoreRunRow.InsertBatches, RescoreRunRow.SetCounts })
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return (await GetRunAsync(connection, id, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<RescoreRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetRunAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OpenBatch>> GetOpenBatchesAsync(int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT b.run_id AS RunId, b.batch AS Batch, r.batches AS Batches
            FROM rescore_batches b
            JOIN rescore_runs r ON r.id = b.run_id
            WHERE b.done_at IS NULL AND (b.claim_until IS NULL OR b.claim_until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ORDER BY b.run_id, b.batch
            LIMIT @limit;
            """;
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OpenBatchRow>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new OpenBatch(r.RunId, r.Batch, r.Batches))];
    }

    public async Task<IReadOnlyList<RescoreItem>?> ClaimBatchAsync(string runId, int batch, TimeSpan lease, CancellationToken cancellationToken)
    {
        // the lease is taken and tested on the database's clock, as classification's claims are
        const string claim = """
            UPDATE rescore_batches
            SET claim_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @lease)
            WHERE run_id = @runId AND batch = @batch AND done_at IS NULL
              AND (claim_until IS NULL OR claim_until <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            """;

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(claim,
            new { runId, batch, lease = string.Create(CultureInfo.InvariantCulture, $"+{lease.TotalSeconds:0.000} seconds") }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claimed == 0)
        {
            return null;
        }

        var rows = await connection.QueryAsync<RescoreItemRow>(new CommandDefinition(RescoreRunRow.BatchItems, new { runId, batch }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var items = rows.Select(r => r.ToItem()).ToList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return items;
    }

    public async Task CompleteBatchAsync(string runId, int batch, IReadOnlyList<RescoreOutcome> outcomes, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var now = DbValues.Time(time.GetUtcNow());
        var run = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"No rescore run {runId}.");
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var outcome in outcomes)
        {
            var written = outcome.Outcome;
            if (outcome.Outcome == RescoreOutcomes.Rescored)
            {
                await connection.ExecuteAsync(new CommandDefinition(RescoreRunRow.Rescore, RescoreVerdictRow.From(outcome), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            else if (outcome.Outcome == RescoreOutcomes.Requeued)
            {
                var requeued = await connection.ExecuteAsync(new CommandDefinition(RescoreRunRow.Requeue, RescoreVerdictRow.From(outcome), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (requeued == 1)
                {
                    await connection.ExecuteAsync(new CommandDefinition(RescoreRunRow.InsertNote,
                        new { id = Ids.New(), itemId = outcome.ItemId, at = now, actor, kind = "rescore", note = outcome.Note ?? "", modelId = run.ModelId, runId },
                        transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
                else
                {
                    written = RescoreOutcomes.Skipped;
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(RescoreRunRow.SetOutcome,
                new { runId, itemId = outcome.ItemId, outcome = written, score = outcome.Verdict?.Score }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(RescoreRunRow.FinishBatch, new { runId, batch, at = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RescoreRun?> GetRunAsync(SqliteConnection connection, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RescoreRunRow>(new CommandDefinition(RescoreRunRow.SelectById, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var done = await connection.ExecuteScalarAsync<int>(new CommandDefinition(RescoreRunRow.BatchesDone, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var outcomes = await connection.QueryAsync<OutcomeCountRow>(new CommandDefinition(RescoreRunRow.Outcomes, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.ToRun(done, outcomes.ToDictionary(o => o.Outcome, o => o.Count, StringComparer.Ordinal));
    }
}
