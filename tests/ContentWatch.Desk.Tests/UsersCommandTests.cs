using ContentWatch.Core.Access;
using ContentWatch.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Desk.Tests;

/// <summary><c>contentwatch users add</c> as a user runs it: a real process on a temp data folder.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-desk-cli", Guid.NewGuid().ToString("N"));

    public UsersCommandTests() => Directory.CreateDirectory(_folder);

    private string DataDirectory => Path.Combine(_folder, "data");

    private async Task<(int Exit, string Err)> RunAsync(string? stdin, params string[] args)
    {
        var (exit, _, error) = await CliProcess.RunAsync(_folder, stdin, args);
        return (exit, error);
    }

    [Fact]
    public async Task UsersAdd_ReadsThePasswordFromStdin_AndTheAccountCanSignIn()
    {
        var (exit, err) = await RunAsync("a long enough password", "users", "add", "--username", "Olga", "--role", "supervisor", "--data-dir", DataDirectory);

        Assert.Equal(0, exit);
        Assert.Contains("created supervisor account olga", err, StringComparison.Ordinal);
        await using var services = new ServiceCollection().AddContentWatchStorage(StorageOptions.ForDataDirectory(DataDirectory)).AddSingleton<UserService>().BuildServiceProvider();
        var result = await services.GetRequiredService<UserService>().SignInAsync("olga", "a long enough password", CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.Equal(Roles.Supervisor, result.User!.Role);
    }

    [Fact]
    public async Task UsersAdd_RefusesAShortPassword_ATakenName_AndAPasswordOnTheCommandLine()
    {
        var shortPassword = await RunAsync("short", "users", "add", "--username", "ana", "--role", "officer", "--data-dir", DataDirectory);
        var first = await RunAsync("a long enough password", "users", "add", "--username", "ana", "--role", "officer", "--data-dir", DataDirectory);
        var taken = await RunAsync("another long password", "users", "add", "--username", "ana", "--role", "admin", "--data-dir", DataDirectory);
        var inArgv = await RunAsync(null, "users", "add", "--username", "bob", "--role", "officer", "--password", "a long enough password", "--data-dir", DataDirectory);
        var badRole = await RunAsync("a long enough password", "users", "add", "--username", "bob", "--role", "platform", "--data-dir", DataDirectory);

        Assert.Equal(1, shortPassword.Exit);
        Assert.Contains("at least 12 characters", shortPassword.Err, StringComparison.Ordinal);
        Assert.Equal(0, first.Exit);
        Assert.Equal(1, taken.Exit);
        Assert.Contains("taken", taken.Err, StringComparison.Ordinal);
        Assert.Equal(2, inArgv.Exit);
        Assert.Contains("unknown option: --password", inArgv.Err, StringComparison.Ordinal);
        Assert.Equal(2, badRole.Exit);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
