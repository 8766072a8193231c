using System.Data.Common;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class AccessContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task CreateThenFind_ReturnsTheKeyByItsHash()
    {
        var created = await ApiKeys.CreateAsync("hash-1", Roles.Platform, "alpha", Ct);

        var found = await ApiKeys.FindAsync("hash-1", Ct);

        Assert.Equal(created, found);
        Assert.Equal(Roles.Platform, found!.Role);
        Assert.Equal("alpha", found.Platform);
        Assert.Equal(Start, found.CreatedAt);
    }

    [SkippableFact]
    public async Task Find_UnknownHash_ReturnsNull()
    {
        Assert.Null(await ApiKeys.FindAsync("nope", Ct));
    }

    [SkippableFact]
    public async Task Create_WithAHashAlreadyStored_Fails()
    {
        await ApiKeys.CreateAsync("hash-1", Roles.Officer, null, Ct);

        await Assert.ThrowsAnyAsync<DbException>(() => ApiKeys.CreateAsync("hash-1", Roles.Admin, null, Ct));
    }

    [SkippableFact]
    public async Task EnsureBootstrap_CreatesTheKeyOnce_AndKeepsTheFirst()
    {
        var first = await ApiKeys.EnsureBootstrapAsync("admin-hash", Ct);
        Time.Advance(TimeSpan.FromDays(1));

        var again = await ApiKeys.EnsureBootstrapAsync("admin-hash", Ct);

        Assert.Equal(first, again);
        Assert.Equal(new ApiKeyInfo(first.Id, Roles.Admin, null, Start, Bootstrap: true), first);
        Assert.Equal(first, await ApiKeys.FindAsync("admin-hash", Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM api_keys", Ct));
    }

    [SkippableFact]
    public async Task EnsureBootstrap_WithAnotherHash_RevokesThePreviousBootstrapKey_Only()
    {
        var old = await ApiKeys.EnsureBootstrapAsync("old-hash", Ct);
        var other = await ApiKeys.CreateAsync("other-admin", Roles.Admin, null, Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var current = await ApiKeys.EnsureBootstrapAsync("new-hash", Ct);

        Assert.NotEqual(old.Id, current.Id);
        Assert.Null(await ApiKeys.FindAsync("old-hash", Ct));
        Assert.NotNull(await ApiKeys.FindAsync("other-admin", Ct));
        var listed = await ApiKeys.ListAsync(Ct);
        Assert.Equal([old.Id, other.Id, current.Id], listed.Select(k => k.Id));
        Assert.Equal(Start.AddHours(1), listed[0].RevokedAt);
        Assert.Null(listed[2].RevokedAt);

        // set back to the old value: it stays revoked
        Assert.Equal(Start.AddHours(1), (await ApiKeys.EnsureBootstrapAsync("old-hash", Ct)).RevokedAt);
    }

    [SkippableFact]
    public async Task Revoke_HidesTheKeyAtOnce_KeepsItsFirstTime_AndSaysWhenTheIdIsUnknown()
    {
        var key = await ApiKeys.CreateAsync("hash-1", Roles.Officer, null, Ct);

        Assert.True(await ApiKeys.RevokeAsync(key.Id, Ct));
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await ApiKeys.RevokeAsync(key.Id, Ct));

        Assert.Null(await ApiKeys.FindAsync("hash-1", Ct));
        Assert.Equal(Start, Assert.Single(await ApiKeys.ListAsync(Ct)).RevokedAt);
        Assert.False(await ApiKeys.RevokeAsync("00000000000000000000000000000000", Ct));
    }

    [SkippableFact]
    public async Task MarkUsed_RecordsTheLatestTime()
    {
        var key = await ApiKeys.CreateAsync("hash-1", Roles.Intake, null, Ct);

        await ApiKeys.MarkUsedAsync(key.Id, Start.AddMinutes(2), Ct);
        await ApiKeys.MarkUsedAsync(key.Id, Start.AddMinutes(1), Ct);

        Assert.Equal(Start.AddMinutes(2), (await ApiKeys.FindAsync("hash-1", Ct))!.LastUsedAt);
    }

    [SkippableFact]
    public async Task HasTaken_IsFalse_ForAnUnknownMark()
    {
        Assert.False(await ScanState.HasTakenAsync("scan:feed", "never", Ct));
    }
}
