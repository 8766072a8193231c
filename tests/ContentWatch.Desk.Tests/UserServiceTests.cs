using ContentWatch.Core.Access;
using ContentWatch.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentWatch.Desk.Tests;

/// <summary>Sign-in rules over the real SQLite store, with a fake clock for the lock-out.</summary>
public sealed class UserServiceTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "contentwatch-desk-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private ServiceProvider services = null!;
    private UserService users = null!;

    public async Task InitializeAsync()
    {
        services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddContentWatchStorage(StorageOptions.ForDataDirectory(directory))
            .AddSingleton<UserService>()
            .BuildServiceProvider();
        await services.GetRequiredService<IStorageMigrator>().MigrateAsync(CancellationToken.None);
        users = services.GetRequiredService<UserService>();
        await users.CreateAsync("ana", Roles.Officer, "a long enough password", CancellationToken.None);
    }

    [Fact]
    public async Task SignIn_WithTheRightPassword_Succeeds_AndOnlyAHashIsStored()
    {
        var result = await users.SignInAsync("ANA", "a long enough password", CancellationToken.None);

        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.StartsWith("pbkdf2-sha256$310000$", result.User!.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain("a long enough password", result.User.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownUserOrWrongPassword_IsRefusedAlike()
    {
        Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("nobody", "a long enough password", CancellationToken.None)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("ana", "wrong password!", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task FifthFailure_LocksFor15Minutes_ThenTheRightPasswordWorksAgain()
    {
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("ana", "wrong password!", CancellationToken.None)).Outcome);
        }

        var fifth = await users.SignInAsync("ana", "wrong password!", CancellationToken.None);
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.True(fifth.LockedNow);
        Assert.Equal(time.GetUtcNow().AddMinutes(15), (await Store.FindAsync("ana", CancellationToken.None))!.LockedUntil);

        time.Advance(TimeSpan.FromMinutes(14));
        var locked = await users.SignInAsync("ana", "a long enough password", CancellationToken.None);
        Assert.Equal(SignInOutcome.LockedOut, locked.Outcome);
        Assert.False(locked.LockedNow);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task GoodSignIn_DoesNotForgiveTheFailuresBesideIt()
    {
        for (var i = 0; i < 4; i++)
        {
            await users.SignInAsync("ana", "wrong password!", CancellationToken.None);
        }

        Assert.Equal(SignInOutcome.SignedIn, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);

        Assert.True((await users.SignInAsync("ana", "wrong password!", CancellationToken.None)).LockedNow);
    }

    [Fact]
    public async Task TwentySignInsAtOnce_GetAtMostFivePasswordsChecked_AndLockTheAccount()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => i == 19 ? "a long enough password" : "wrong password " + i).ToList();

        var results = await Task.WhenAll(attempts.Select(p => Task.Run(() => users.SignInAsync("ana", p, CancellationToken.None))));

        var failuresChecked = results.Count(r => r.Outcome == SignInOutcome.Refused || r.LockedNow);
        Assert.True(failuresChecked <= UserService.MaxFailures, $"{failuresChecked} wrong passwords were checked");
        Assert.True(results.Count(r => r.Outcome == SignInOutcome.LockedOut && !r.LockedNow) >= 14);
        if (results.All(r => r.Outcome != SignInOutcome.SignedIn))
        {
            // the right password came too late: five failures had locked the account
            Assert.Equal(SignInOutcome.LockedOut, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);
        }
    }

    [Fact]
    public async Task LockedAccount_AndUnknownName_AnswerAlike_InTheSameTime()
    {
        for (var i = 0; i < 5; i++)
        {
            await users.SignInAsync("ana", "wrong password!", CancellationToken.None);
        }

        var locked = new List<double>();
        var unknown = new List<double>();
        // interleaved, eleven each, so a busy machine slows both alike and the medians stay steady
        for (var i = 0; i < 11; i++)
        {
            locked.Add(await TimeAsync("ana", "a long enough password", SignInOutcome.LockedOut));
            unknown.Add(await TimeAsync("nobody", "a long enough password", SignInOutcome.Refused));
        }

        // both check one PBKDF2 hash (310,000 iterations): the medians differ by far less than a hash check takes
        var (lockedMedian, unknownMedian) = (locked.Order().ElementAt(5), unknown.Order().ElementAt(5));
        Assert.InRange(lockedMedian / unknownMedian, 0.6, 1.6);
    }

    private async Task<double> TimeAsync(string username, string password, SignInOutcome expected)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await users.SignInAsync(username, password, CancellationToken.None);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        Assert.Equal(expected, result.Outcome);
        Assert.Null(result.User);
        return elapsed;
    }

    [Fact]
    public async Task Sessions_EndWithSignOut_Lock_PasswordReset_AndLockOut()
    {
        var stamp = (await Store.FindAsync("ana", CancellationToken.None))!.SecurityStamp;
        Assert.True(await users.IsSessionValidAsync("ana", stamp, CancellationToken.None));
        Assert.False(await users.IsSessionValidAsync("ana", null, CancellationToken.None));

        await users.SignOutEverywhereAsync("ana", CancellationToken.None);
        Assert.False(await users.IsSessionValidAsync("ana", stamp, CancellationToken.None));

        stamp = (await Store.FindAsync("ana", CancellationToken.None))!.SecurityStamp;
        await Store.SetDisabledAsync("ana", true, CancellationToken.None);
        Assert.False(await users.IsSessionValidAsync("ana", stamp, CancellationToken.None));
        await Store.SetDisabledAsync("ana", false, CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);

        stamp = (await Store.FindAsync("ana", CancellationToken.None))!.SecurityStamp;
        await Store.SetPasswordAsync("ana", PasswordHashing.Hash("another long password"), CancellationToken.None);
        Assert.False(await users.IsSessionValidAsync("ana", stamp, CancellationToken.None));

        stamp = (await Store.FindAsync("ana", CancellationToken.None))!.SecurityStamp;
        for (var i = 0; i < 5; i++)
        {
            await users.SignInAsync("ana", "wrong password!", CancellationToken.None);
        }

        Assert.False(await users.IsSessionValidAsync("ana", stamp, CancellationToken.None));
    }

    [Fact]
    public async Task LockedByAnAdmin_IsRefusedLikeAnUnknownName_EvenWithTheRightPassword()
    {
        await Store.SetDisabledAsync("ana", true, CancellationToken.None);

        Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);
    }

    private IUserStore Store => services.GetRequiredService<IUserStore>();

    [Theory]
    [InlineData("ana", "officer", "a long enough password", 0)]
    [InlineData("Ana", "officer", "a long enough password", 1)]
    [InlineData("ana", "platform", "a long enough password", 1)]
    [InlineData("ana", "admin", "short", 1)]
    [InlineData("a", "intake", "short", 3)]
    public void Validate_ChecksNameRoleAndPasswordLength(string username, string role, string password, int errors)
    {
        Assert.Equal(errors, UserService.Validate(username, role, password).Count);
    }

    [Fact]
    public void Verify_RefusesMalformedHashes()
    {
        Assert.False(PasswordHashing.Verify("x", "plain"));
        Assert.False(PasswordHashing.Verify("x", "pbkdf2-sha256$0$AA==$AA=="));
        Assert.False(PasswordHashing.Verify("x", "pbkdf2-sha256$10$not base64$AA=="));
        Assert.True(PasswordHashing.Verify("x", PasswordHashing.Hash("x")));
        Assert.NotEqual(PasswordHashing.Hash("x"), PasswordHashing.Hash("x"));
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
