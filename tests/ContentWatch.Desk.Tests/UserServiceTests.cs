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
        Assert.Equal(time.GetUtcNow().AddMinutes(15), fifth.LockedUntil);

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.LockedOut, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, (await users.SignInAsync("ana", "a long enough password", CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task GoodSignIn_ClearsEarlierFailures()
    {
        for (var i = 0; i < 4; i++)
        {
            await users.SignInAsync("ana", "wrong password!", CancellationToken.None);
        }

        await users.SignInAsync("ana", "a long enough password", CancellationToken.None);

        Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("ana", "wrong password!", CancellationToken.None)).Outcome);
    }

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
