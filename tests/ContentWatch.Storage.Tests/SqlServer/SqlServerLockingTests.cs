using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Contracts;
using ContentWatch.Storage.Tests.Providers;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>
/// SQL Server only (needs <see cref="SqlServerProvider.EnvironmentVariable"/>): what only a server can show, the locking
/// of decisions under read-committed snapshot and the rerun of an insert whose first run committed.
/// </summary>
public sealed class SqlServerLockingTests : IAsyncLifetime
{
    private readonly SqlServerProvider provider = new();
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));

    private CancellationToken Ct => timeout.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await provider.DisposeAsync();
        timeout.Dispose();
    }

    [SkippableFact]
    public async Task Reject_ThatWaitedForAConfirm_UnderReadCommittedSnapshot_SeesTheReferral_AndIsRefused()
    {
        Skip.If(provider.SkipReason is not null, provider.SkipReason);
        var services = await provider.CreateDatabaseAsync(TimeProvider.System, Ct);
        SqlConnection.ClearAllPools();
        await provider.ExecuteAsync("ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;", Ct);
        Assert.True(await provider.ScalarAsync<bool>("SELECT is_read_committed_snapshot_on FROM sys.databases WHERE name = DB_NAME();", Ct));
        var itemId = (await services.GetRequiredService<IIntakeStore>().StoreReportsAsync([Reports.New()], "api", null, Ct))[0].ItemId;
        await services.GetRequiredService<IClassificationStore>().SaveVerdictsAsync(
            [new ClassifiedItem(itemId, new Verdict(Labels.SmugglingService, 0.9, new Dictionary<string, double> { [Labels.SmugglingService] = 0.9 }, "m", DateTimeOffset.UtcNow), ItemStatus.InReview)], Ct);

        // a confirm in flight, as the store runs it: the item locked, its referral inserted, its status set, not yet committed
        await using var confirm = (SqlConnection)await provider.OpenAsync(Ct);
        await using var transaction = confirm.BeginTransaction();
        var spid = await confirm.ExecuteScalarAsync<short>(new CommandDefinition("""
            DECLARE @locked nvarchar(32);
            SELECT @locked = id FROM items WITH (UPDLOCK, HOLDLOCK) WHERE id = @itemId;
            INSERT INTO referrals (id, item_id, platform, category, explanation, status, created_at, decided_at, reported_at, automated_detection, evidence_sha256)
            SELECT REPLACE(CONVERT(nvarchar(36), NEWID()), N'-', N''), id, platform, N'illegal_service', N'x', N'pending', first_reported_at, first_reported_at, first_reported_at, 1, text_sha256
            FROM items WHERE id = @itemId;
            UPDATE items SET status = N'confirmed' WHERE id = @itemId;
            SELECT @@SPID;
            """, new { itemId }, transaction, cancellationToken: Ct));

        var reject = Task.Run(() => services.GetRequiredService<IReviewStore>().RecordDecisionAsync(Decide.Reject(itemId), "n/a", Ct));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await provider.ScalarAsync<int>($"SELECT COUNT(*) FROM sys.dm_exec_requests WHERE blocking_session_id = {spid};", Ct) == 0)
        {
            Assert.False(reject.IsCompleted, "the reject did not wait for the confirm's lock on the item");
            Assert.True(DateTime.UtcNow < deadline, "the reject was never seen waiting for the confirm");
            await Task.Delay(20, Ct);
        }

        await transaction.CommitAsync(Ct);
        var result = await reject;

        Assert.Equal(DecisionOutcome.Conflict, result.Outcome);
        Assert.Equal(ItemStatus.Confirmed, await provider.ScalarAsync<string>($"SELECT status FROM items WHERE id = '{itemId}';", Ct));
    }

    [SkippableFact]
    public async Task UserAndApiKeyInserts_RunAgainAfterTheyCommitted_ChangeNothing_AndDoNotFail()
    {
        Skip.If(provider.SkipReason is not null, provider.SkipReason);
        await provider.CreateDatabaseAsync(TimeProvider.System, Ct);
        var user = new { id = "0123456789abcdef0123456789abcdef", username = "ana", role = "officer", passwordHash = "h", createdAt = "2026-12-01T10:00:00.000Z" };
        var key = new { id = "fedcba9876543210fedcba9876543210", keyHash = "k", role = "admin", platform = (string?)null, createdAt = "2026-12-01T10:00:00.000Z" };
        await using var connection = (SqlConnection)await provider.OpenAsync(Ct);

        // what RunAsync does after a timeout whose statement had committed: the same statement, the same id, once more
        int[] users = [await connection.ExecuteAsync(TSql.QueryText("SqlServerUserStore.Insert"), user), await connection.ExecuteAsync(TSql.QueryText("SqlServerUserStore.Insert"), user)];
        int[] keys = [await connection.ExecuteAsync(TSql.QueryText("SqlServerApiKeyStore.Insert"), key), await connection.ExecuteAsync(TSql.QueryText("SqlServerApiKeyStore.Insert"), key)];

        Assert.Equal([1, 0], users);
        Assert.Equal([1, 0], keys);
        Assert.Equal(1, await provider.ScalarAsync<int>("SELECT COUNT(*) FROM users;", Ct));
        await Assert.ThrowsAsync<SqlException>(() => connection.ExecuteAsync(TSql.QueryText("SqlServerUserStore.Insert"), user with { id = "1123456789abcdef0123456789abcdef" }));
    }
}
