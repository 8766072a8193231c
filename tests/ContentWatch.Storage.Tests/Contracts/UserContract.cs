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
    public async Task SignInAttempts_AreCounted_AndTheFifthLocksTheAccount_AndLaterOnesAreRefused()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct));
        }

        Assert.Null(await Users.TakeSignInAttemptAsync(user.Id, 5, Start.AddMinutes(1), Window, Ct));
        var locked = await Users.FindAsync("ana", Ct);
        Assert.Equal(Start.Add(Window), locked!.LockedUntil);
        Assert.Equal(5, locked.FailedSignIns);
        Assert.Equal(Start, locked.FailuresSince);
    }

    [SkippableFact]
    public async Task SignInAttempts_MadeAtOnce_AreAllCounted_AndOnlyTheLimitGetsThrough()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct))));

        Assert.Equal([1, 2, 3, 4, 5], attempts.Where(a => a is not null).Select(a => a!.Value).Order());
    }

    [SkippableFact]
    public async Task SignInAttempts_StartAgain_WhenTheWindowOrTheLockOutIsOver()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);
        await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct);
        await Users.TakeSignInAttemptAsync(user.Id, 5, Start.AddMinutes(10), Window, Ct);

        Assert.Equal(1, await Users.TakeSignInAttemptAsync(user.Id, 5, Start.AddMinutes(15), Window, Ct));

        var at = Start.AddMinutes(16);
        for (var i = 2; i <= 5; i++)
        {
            await Users.TakeSignInAttemptAsync(user.Id, 5, at, Window, Ct);
        }

        Assert.Null(await Users.TakeSignInAttemptAsync(user.Id, 5, at.AddMinutes(14), Window, Ct));
        Assert.Equal(1, await Users.TakeSignInAttemptAsync(user.Id, 5, at.AddMinutes(15), Window, Ct));
    }

    [SkippableFact]
    public async Task SignIn_GivesBackItsOwnAttempt_AndLiftsTheLock()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);
        for (var i = 0; i < 5; i++)
        {
            await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct);
        }

        await Users.RecordSignInAsync(user.Id, Ct);

        var after = await Users.FindAsync("ana", Ct);
        Assert.Equal(4, after!.FailedSignIns);
        Assert.Null(after.LockedUntil);
        Assert.Equal(5, await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct));
    }

    [SkippableFact]
    public async Task TakeSignInAttempt_ForAnUnknownId_CountsNothing()
    {
        Assert.Null(await Users.TakeSignInAttemptAsync("00000000000000000000000000000000", 5, Start, Window, Ct));
        Assert.Null(await Users.TakeSignInAttemptAsync("", 5, Start, Window, Ct));
    }

    [SkippableFact]
    public async Task RevokeSessions_SetPassword_AndDisable_EachGiveANewStamp()
    {
        var user = await Users.CreateAsync("ana", Roles.Officer, "hash", Ct);
        Assert.Matches("^[0-9a-f]{32}$", user.SecurityStamp);
        Assert.Equal(user.SecurityStamp, (await Users.FindAsync("ana", Ct))!.SecurityStamp);

        var revoked = await Users.RevokeSessionsAsync(user.Id, Ct);
        Assert.NotEqual(user.SecurityStamp, revoked);
        Assert.Equal(revoked, (await Users.FindAsync("ana", Ct))!.SecurityStamp);

        await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct);
        Assert.True(await Users.SetPasswordAsync("ana", "new-hash", Ct));
        var reset = await Users.FindAsync("ana", Ct);
        Assert.Equal("new-hash", reset!.PasswordHash);
        Assert.NotEqual(revoked, reset.SecurityStamp);
        Assert.Equal(0, reset.FailedSignIns);

        Assert.True(await Users.SetDisabledAsync("ana", true, Ct));
        var disabled = await Users.FindAsync("ana", Ct);
        Assert.True(disabled!.Disabled);
        Assert.NotEqual(reset.SecurityStamp, disabled.SecurityStamp);
        Assert.Null(await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct));

        Assert.True(await Users.SetDisabledAsync("ana", false, Ct));
        var enabled = await Users.FindAsync("ana", Ct);
        Assert.False(enabled!.Disabled);
        Assert.Equal(disabled.SecurityStamp, enabled.SecurityStamp);
        Assert.Equal(1, await Users.TakeSignInAttemptAsync(user.Id, 5, Start, Window, Ct));

        Assert.False(await Users.SetDisabledAsync("bob", true, Ct));
        Assert.False(await Users.SetPasswordAsync("bob", "hash", Ct));
    }

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
}
