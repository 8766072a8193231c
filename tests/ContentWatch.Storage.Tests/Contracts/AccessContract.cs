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
    public async Task Ensure_CreatesTheKeyOnce_AndKeepsTheFirst()
    {
        await ApiKeys.EnsureAsync("admin-hash", Roles.Admin, null, Ct);
        var first = await ApiKeys.FindAsync("admin-hash", Ct);
        Time.Advance(TimeSpan.FromDays(1));

        await ApiKeys.EnsureAsync("admin-hash", Roles.Admin, null, Ct);

        Assert.Equal(first, await ApiKeys.FindAsync("admin-hash", Ct));
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM api_keys", Ct));
    }

    [SkippableFact]
    public async Task HasTaken_IsFalse_ForAnUnknownMark()
    {
        Assert.False(await ScanState.HasTakenAsync("scan:feed", "never", Ct));
    }
}
