using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Web.Tests;

/// <summary>
/// Several worker processes share one SQLite file of pending items. Each verdict write the database accepts is logged
/// (verdict_writes, schema 4), so "exactly once" is counted, not assumed: one write per item, none lost, none doubled,
/// also for the batch of a worker killed mid-batch and for the late write of a worker frozen past its lease.
/// </summary>
public sealed class MultiWorkerTests : IDisposable
{
    private const int Items = 6_000;
    private const string Hold = "test-hold";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "contentwatch-multi", Guid.NewGuid().ToString("N"));

    public MultiWorkerTests() => Directory.CreateDirectory(_dataDirectory);

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(_dataDirectory, "contentwatch.db"),
        Pooling = false,
        DefaultTimeout = 1,
    }.ToString();

    [Fact]
    public async Task ThreeWorkers_ClassifyEachItemExactlyOnce_WhenOneIsKilledMidBatch_AndOneIsFrozenPastItsLease()
    {
        await IngestAsync();

        // hold every item under a lease until all three workers are up, so they start together
        await ExecuteAsync("UPDATE items SET claim_token = @Hold, claim_until = '9999-12-31T00:00:00.000Z' WHERE status = 'pending'");
        using var killed = await StartWorkerAsync(batchSize: 150); // batch sizes tell the workers' claims apart
        using var frozen = await StartWorkerAsync(batchSize: 120);
        using var steady = await StartWorkerAsync(batchSize: 100);
        await ExecuteAsync("UPDATE items SET claim_token = NULL, claim_until = NULL WHERE claim_token = @Hold");

        var frozenClaim = await FreezeMidBatchAsync(frozen, 120);
        var killedClaim = await FreezeMidBatchAsync(killed, 150);
        killed.Kill();
        var killedAt = DateTime.UtcNow;

        // the frozen worker's lease runs out and another worker writes its batch; then it wakes and tries to write it too
        await ApiClient.EventuallyAsync(() => ScalarAsync("SELECT COUNT(*) FROM items WHERE status = 'pending' AND id IN @ids", new { ids = frozenClaim.ItemIds }),
            n => n == 0, TimeSpan.FromSeconds(30), "another worker to classify the frozen worker's batch");
        await frozen.ResumeAsync();
        var resumedAt = DateTime.UtcNow;

        await ApiClient.EventuallyAsync(() => ScalarAsync("SELECT COUNT(*) FROM items WHERE status = 'pending'"),
            n => n == 0, TimeSpan.FromSeconds(40), "every item to be classified");
        Assert.False(frozen.HasExited, "the frozen worker died");
        Assert.False(steady.HasExited, "the steady worker died");

        Assert.Equal(Items, await ScalarAsync("SELECT COUNT(*) FROM items WHERE classified_at IS NOT NULL AND label IS NOT NULL"));
        var writes = (await QueryAsync<VerdictWrite>("SELECT item_id AS ItemId, claim_token AS ClaimToken, written_at AS WrittenAt FROM verdict_writes")).ToList();
        Assert.Equal(Items, writes.Count);
        var byItem = writes.ToDictionary(w => w.ItemId); // throws on an item written twice
        Assert.Equal(Items, byItem.Count);

        // the killed worker's batch: never written by it, taken over once its lease ran out
        Assert.DoesNotContain(writes, w => w.ClaimToken == killedClaim.Token);
        Assert.All(killedClaim.ItemIds, id => Assert.True(Time(byItem[id].WrittenAt) > killedAt, $"item {id} of the killed batch was written before the kill"));

        // the frozen worker's batch: written once by another claim, before the frozen worker woke; its late write was refused
        Assert.DoesNotContain(writes, w => w.ClaimToken == frozenClaim.Token);
        Assert.All(frozenClaim.ItemIds, id => Assert.True(Time(byItem[id].WrittenAt) < resumedAt, $"item {id} of the frozen batch was written after the frozen worker woke"));

        // the frozen worker survived its refused write (checked above); whether it claims another batch afterwards depends
        // on whether the other workers have left any, so it is not asserted
    }

    /// <summary>
    /// Freezes <paramref name="worker"/> until it is caught holding a claim of <paramref name="batchSize"/> items it has not
    /// written yet, and not holding the write lock (others can still write). Returns that claim.
    /// </summary>
    private async Task<Claim> FreezeMidBatchAsync(ServiceProcess worker, int batchSize)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await worker.FreezeAsync();
            var tokens = (await QueryAsync<string>("""
                SELECT claim_token FROM items
                WHERE status = 'pending' AND claim_token IS NOT NULL
                GROUP BY claim_token HAVING COUNT(*) = @batchSize
                """, new { batchSize })).ToList();
            if (tokens.Count == 1 && await CanWriteAsync())
            {
                var ids = await QueryAsync<string>("SELECT id FROM items WHERE claim_token = @token", new { token = tokens[0] });
                return new Claim(tokens[0], [.. ids]);
            }

            await worker.ResumeAsync();
            Assert.True(DateTime.UtcNow < deadline, $"never caught the worker with batch size {batchSize} in the middle of a batch");
            await Task.Delay(20);
        }
    }

    /// <summary>Whether the write lock can be taken within a second (a frozen worker holding it would block everyone).</summary>
    private async Task<bool> CanWriteAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await transaction.RollbackAsync();
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5)
        {
            return false;
        }
    }

    private async Task IngestAsync()
    {
        var file = Path.Combine(_dataDirectory, "reports.jsonl");
        string[] texts =
        [
            "Boat to UK from Calais, price 1200 euro, call +44 7700 900{0:000}. Leaving this week, places limited",
            "Buy registered passports and ID cards, pass all checks, delivery 10 days. Telegram @docs{0}",
            "URGENT farm workers needed in Canada, salary 3500 a month, visa guaranteed, processing fee 450. Ref {0}",
            "Lovely walk along the river this morning, the weather in town was great. Photo {0}",
        ];
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, Items).Select(i => ApiClient.Json(new
        {
            platform = "multibook",
            url = $"https://multi.example/p/{i}",
            text = string.Format(CultureInfo.InvariantCulture, texts[i % texts.Length], i) + $" (item {i})",
        })));

        var (exit, output, error) = await CliProcess.RunAsync(_dataDirectory, ["ingest", file, "--data-dir", _dataDirectory]);
        Assert.True(exit == 0, $"ingest failed: {output} {error}");
        Assert.Contains($"stored {Items:D}", output, StringComparison.Ordinal);
    }

    private Task<ServiceProcess> StartWorkerAsync(int batchSize) => ServiceProcess.StartAsync(_dataDirectory, adminKey: null, new Dictionary<string, string>
    {
        ["Classification__BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        ["Classification__ClaimLeaseSeconds"] = "3",
        ["Workers__PollSeconds"] = "1",
        ["Export__Cron"] = "0 0 1 1 *",
    });

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.ExecuteAsync(sql, new { Hold });
    }

    private async Task<int> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        return await connection.QueryAsync<T>(sql, parameters);
    }

    private static DateTime Time(string value) =>
        DateTime.ParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record Claim(string Token, IReadOnlyList<string> ItemIds);

    private sealed class VerdictWrite
    {
        public string ItemId { get; init; } = "";
        public string? ClaimToken { get; init; }
        public string WrittenAt { get; init; } = "";
    }
}
