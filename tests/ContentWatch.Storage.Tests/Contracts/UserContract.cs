using System.Data.Common;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class UserContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task CreateThenFind_ReturnsTheAccount()
    {
        var created = await Users.CreateAsync("ana", Roles.Supervisor, "pbkdf2-sha256$1$c2FsdA==$aGFzaA==", Ct);

        var found = await Users.FindAsync("ana", Ct);

        Assert.Equal(created, found);
        Assert.Equal(Roles.Supervisor, found!.Role);
        Assert.Equal(0, found.FailedSignIns);
        Assert.Null(found.LockedUntil);
        Assert.Equal(Start, found.CreatedAt);
        Assert.Null(await Users.FindAsync("bob", Ct));
    }

    [SkippableFact]
    public async Task Create_WithATakenUsername_Fails()
    {
        await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);

        await Assert.ThrowsAnyAsync<DbException>(() => Users.CreateAsync("ana", Roles.Admin, "other", Ct));
    }

    [SkippableFact]
    public async Task Create_WithARoleThatIsNotADeskRole_IsRefusedByTheSchema()
    {
        await Assert.ThrowsAnyAsync<DbException>(() => Users.CreateAsync("ana", Roles.Platform, "hash", Ct));
    }

    [SkippableFact]
    public async Task FailedSignIns_AreCounted_AndTheFifthLocksTheAccount_AndRestartsTheCount()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);
        var until = Start.AddMinutes(15);

        for (var i = 1; i <= 4; i++)
        {
            var after = await Users.RecordFailedSignInAsync(user.Id, 5, until, Ct);
            Assert.Equal(i, after!.FailedSignIns);
            Assert.Null(after.LockedUntil);
        }

        var locked = await Users.RecordFailedSignInAsync(user.Id, 5, until, Ct);

        Assert.Equal(until, locked!.LockedUntil);
        Assert.Equal(0, locked.FailedSignIns);
        Assert.Equal(locked, await Users.FindAsync("ana", Ct));
    }

    [SkippableFact]
    public async Task SignIn_ClearsTheFailureCount()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);
        await Users.RecordFailedSignInAsync(user.Id, 5, Start.AddMinutes(15), Ct);
        await Users.RecordFailedSignInAsync(user.Id, 5, Start.AddMinutes(15), Ct);

        await Users.RecordSignInAsync(user.Id, Ct);

        Assert.Equal(0, (await Users.FindAsync("ana", Ct))!.FailedSignIns);
    }

    [SkippableFact]
    public async Task RecordFailedSignIn_ForAnUnknownId_ReturnsNull()
    {
        Assert.Null(await Users.RecordFailedSignInAsync("00000000000000000000000000000000", 5, Start, Ct));
    }
}
