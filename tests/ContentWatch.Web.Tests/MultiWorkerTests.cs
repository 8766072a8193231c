using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Web.Tests;

/// <summary>
/// Several worker processes share one database of pending items: a SQLite file always, and a fresh SQL Server database
/// (<c>cw_test_&lt;guid&gt;</c>, Hangfire's jobs in it too) when CONTENTWATCH_TEST_SQLSERVER names a server
/// (scripts/sqlserver-tests.sh). Each verdict write the database accepts is logged (verdict_writes, schema 4), so
/// "exactly once" is counted, not assumed: one write per item, none lost, none doubled, also for the batch of a worker
/// killed mid-batch and for the late write of a worker frozen past its lease.
/// </summary>
public sealed class SqliteMultiWorkerTests : MultiWorkerTests
{
    protected override string? SkipReason => null;

    protected override IReadOnlyDictionary<string, string> StorageSettings { get; } = new Dictionary<string, string>();

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(DataDirectory, "contentwatch.db"),
        Pooling = false,
        DefaultTimeout = 1,
    }.ToString();

    protected override DbConnection Connection() => new SqliteConnection(ConnectionString);

    /// <summary>Whether the write lock can be taken within a second (a frozen worker holding it would block everyone).</summary>
    protected override async Task<bool> OthersCanWriteAsync(string token)
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
}

/// <summary>
/// <see cref="MultiWorkerTests"/> on SQL Server. The verdict log's times are the server's clock and are compared with
/// this machine's, so run the server on this machine (or one whose clock agrees to well under a second).
/// </summary>
public sealed class SqlServerMultiWorkerTests : MultiWorkerTests
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("CONTENTWATCH_TEST_SQLSERVER");
    private readonly string database = $"cw_test_{Guid.NewGuid():N}";
    private bool created;

    protected override string? SkipReason => string.IsNullOrWhiteSpace(Server)
        ? "needs CONTENTWATCH_TEST_SQLSERVER set to a SQL Server connection string (scripts/sqlserver-tests.sh)"
        : null;

    protected override IReadOnlyDictionary<string, string> StorageSettings => new Dictionary<string, string>
    {
        ["Storage__Provider"] = "SqlServer",
        ["Storage__ConnectionString"] = ConnectionString(database),
    };

    /// <summary>A short connect timeout: SqlClient waits it out when no server answers.</summary>
    private static string ConnectionString(string catalog) =>
        new SqlConnectionStringBuilder(Server) { InitialCatalog = catalog, ConnectTimeout = 5 }.ConnectionString;

    protected override async Task CreateDatabaseAsync()
    {
        await using var master = new SqlConnection(ConnectionString("master"));
        await master.ExecuteAsync($"CREATE DATABASE [{database}];");
        created = true;
    }

    protected override DbConnection Connection() => new SqlConnection(ConnectionString(database));

    /// <summary>
    /// Queries wait at most a second for a lock: a worker frozen inside a transaction holds its rows, and the test then
    /// resumes it and tries again rather than wait.
    /// </summary>
    protected override string LockTimeout => "SET LOCK_TIMEOUT 1000; ";

    /// <summary>Whether the batch's rows can be locked within a second (a worker frozen mid-write holds them).</summary>
    protected override async Task<bool> OthersCanWriteAsync(string token)
    {
        await using var connection = new SqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        try
        {
            await connection.ExecuteAsync(LockTimeout + "SELECT COUNT(*) FROM items WITH (UPDLOCK, ROWLOCK) WHERE claim_token = @token;", new { token }, transaction);
            return true;
        }
        catch (SqlException e) when (e.Number == 1222)
        {
            return false;
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (created)
        {
            SqlConnection.ClearAllPools();
            using var master = new SqlConnection(ConnectionString("master"));
            master.Execute($"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}];");
        }
    }
}

public abstract class MultiWorkerTests : IDisposable
{
    private const int Items = 6_000;
    private const string Hold = "test-hold";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    protected MultiWorkerTests() => Directory.CreateDirectory(DataDirectory);

    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "contentwatch-multi", Guid.NewGuid().ToString("N"));

    /// <summary>Why this database cannot run here, or null.</summary>
    protected abstract string? SkipReason { get; }

    /// <summary>The environment that points the processes at this database.</summary>
    protected abstract IReadOnlyDictionary<string, string> StorageSettings { get; }

    /// <summary>A new, closed connection to the database.</summary>
    protected abstract DbConnection Connection();

    /// <summary>Whether the other workers can still write the claimed batch (the frozen worker holds no lock on it).</summary>
    protected abstract Task<bool> OthersCanWriteAsync(string token);

    /// <summary>What the test's reads while a worker is frozen start with, so they do not wait on its locks.</summary>
    protected virtual string LockTimeout => "";

    protected virtual Task CreateDatabaseAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task ThreeWorkers_ClassifyEachItemExactlyOnce_WhenOneIsKilledMidBatch_AndOneIsFrozenPastItsLease()
    {
        Skip.If(SkipReason is not null, SkipReason);
        await CreateDatabaseAsync();
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

        // the deadlines below only bound a hang: on a loaded machine (other builds on two cores) 6,000 items take minutes

        // the frozen worker's lease runs out and another worker writes its batch; then it wakes and tries to write it too
        await ApiClient.EventuallyAsync(() => ScalarAsync("SELECT COUNT(*) FROM items WHERE status = 'pending' AND id IN @ids", new { ids = frozenClaim.ItemIds }),
            n => n == 0, TimeSpan.FromSeconds(120), "another worker to classify the frozen worker's batch");
        await frozen.ResumeAsync();
        var resumedAt = DateTime.UtcNow;

        await ApiClient.EventuallyAsync(() => ScalarAsync("SELECT COUNT(*) FROM items WHERE status = 'pending'"),
            n => n == 0, TimeSpan.FromSeconds(120), "every item to be classified");
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
    /// written yet, and not holding a lock the others need to write. Returns that claim.
    /// </summary>
    private async Task<Claim> FreezeMidBatchAsync(ServiceProcess worker, int batchSize)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await worker.FreezeAsync();
            try
            {
                var tokens = (await QueryAsync<string>(LockTimeout + """
                    SELECT claim_token FROM items
                    WHERE status = 'pending' AND claim_token IS NOT NULL
                    GROUP BY claim_token HAVING COUNT(*) = @batchSize
                    """, new { batchSize })).ToList();
                if (tokens.Count == 1 && await OthersCanWriteAsync(tokens[0]))
                {
                    var ids = await QueryAsync<string>("SELECT id FROM items WHERE claim_token = @token", new { token = tokens[0] });
                    return new Claim(tokens[0], [.. ids]);
                }
            }
            catch (DbException)
            {
                // the frozen worker holds rows the look-up needs (frozen inside a transaction): not a clean point
            }

            await worker.ResumeAsync();
            Assert.True(DateTime.UtcNow < deadline, $"never caught the worker with batch size {batchSize} in the middle of a batch");
            await Task.Delay(20);
        }
    }

    private async Task IngestAsync()
    {
        var file = Path.Combine(DataDirectory, "reports.jsonl");
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

        var (exit, output, error) = await CliProcess.RunAsync(DataDirectory, ["ingest", file, "--data-dir", DataDirectory], StorageSettings);
        Assert.True(exit == 0, $"ingest failed: {output} {error}");
        Assert.Contains($"stored {Items:D}", output, StringComparison.Ordinal);
    }

    private Task<ServiceProcess> StartWorkerAsync(int batchSize) => ServiceProcess.StartAsync(DataDirectory, adminKey: null, new Dictionary<string, string>(StorageSettings)
    {
        ["Classification__BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        ["Classification__ClaimLeaseSeconds"] = "3",
        ["Workers__PollSeconds"] = "1",
        ["Export__Cron"] = "0 0 1 1 *",
    });

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = Connection();
        await connection.ExecuteAsync(sql, new { Hold });
    }

    private async Task<int> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = Connection();
        return await connection.ExecuteScalarAsync<int>(sql, parameters);
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = Connection();
        return await connection.QueryAsync<T>(sql, parameters);
    }

    private static DateTime Time(string value) =>
        DateTime.ParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
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
