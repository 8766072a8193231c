using System.Data.Common;
using ContentWatch.Storage.Tests.Providers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class MigrationContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task Migrate_IsIdempotent_WhenRunTwice()
    {
        var migrator = Services.GetRequiredService<IStorageMigrator>();
        var itemId = await IngestAsync(Reports.New());

        var again = await migrator.MigrateAsync(Ct);
        var third = await migrator.MigrateAsync(Ct);

        Assert.Empty(again);
        Assert.Empty(third);
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM schema_version WHERE version = 1", Ct));
        Assert.NotNull(await Review.GetItemAsync(itemId, Ct));
    }

    [SkippableFact]
    public async Task Migrate_RecordsOneScriptPerNumber_UpToTheFollowUpSchema()
    {
        await using var connection = await Provider.OpenAsync(Ct);
        var applied = (await connection.QueryAsync<string>(
            new CommandDefinition("SELECT name FROM schema_version ORDER BY version", cancellationToken: Ct))).ToList();

        Assert.Equal(["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"], applied.Select(name => name[..4]));
        Assert.Equal(["0005_sessions_and_keys", "0006_networks", "0007_entities", "0008_delivery_rechecks_audit", "0009_model_registry"], applied.Skip(4));
        Assert.Equal(9, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM schema_version", Ct));
    }

    [SkippableFact]
    public async Task CountUnapplied_IsZeroWhenMigrated_AndCountsAScriptTheDatabaseHasNotRecorded()
    {
        var migrator = Services.GetRequiredService<IStorageMigrator>();
        Assert.Equal(0, await migrator.CountUnappliedAsync(Ct));

        await Provider.ExecuteAsync("DELETE FROM schema_version WHERE version = 2", Ct);

        Assert.Equal(1, await migrator.CountUnappliedAsync(Ct));
    }

    [SkippableFact]
    public async Task AuditTable_RefusesUpdateAndDelete()
    {
        var (itemId, _) = await ConfirmedAsync(Reports.New());

        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("UPDATE decisions SET reason = 'rewritten'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("DELETE FROM decisions", Ct));

        var audit = await Review.GetAuditAsync(itemId, Ct);
        Assert.Equal("Matches a known smuggling offer.", Assert.Single(audit).Reason);
    }

    [SkippableFact]
    public async Task ReferralStatusHistory_RefusesUpdateAndDelete()
    {
        var (_, referralId) = await ConfirmedAsync(Reports.New());
        Assert.True(await Referrals.RecordStatusAsync(new(referralId, "received", Time.GetUtcNow(), null, "platform:example"), Ct));

        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("UPDATE referral_status_events SET status = 'removed'", Ct));
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync("DELETE FROM referral_status_events", Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM referral_status_events", Ct));
    }

    [SkippableFact]
    public async Task Reports_MustBelongToAnExistingItem()
    {
        await Assert.ThrowsAnyAsync<DbException>(() => Provider.ExecuteAsync(
            "INSERT INTO reports (id, item_id, source, received_at, url, duplicate) VALUES ('r1', 'no-such-item', 'api', '2026-11-28T10:00:00.000Z', 'https://x.test/', 0)",
            Ct));
    }
}
