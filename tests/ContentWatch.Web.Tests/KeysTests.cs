using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Access;
using ContentWatch.Storage;

namespace ContentWatch.Web.Tests;

/// <summary>API keys: listed with their last use, revoked at once, and the bootstrap key checked and replaced at start-up.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class KeysTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task RevokedKey_Gets401_AtOnce_AndTheListShowsItsLastUse()
    {
        using var admin = service.Admin();
        using var created = await admin.PostJsonAsync("/api/keys", new { role = "platform", platform = "revoke.example" });
        var answer = await ApiClient.ReadJsonAsync(created);
        var (key, id) = (answer["key"]!.GetValue<string>(), answer["id"]!.GetValue<string>());
        using var platform = service.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await platform.Http.GetAsync("/api/platforms/revoke.example/referrals")).StatusCode);

        var listed = (await admin.GetJsonAsync("/api/keys"))["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("platform", listed["role"]!.GetValue<string>());
        Assert.Equal("revoke.example", listed["platform"]!.GetValue<string>());
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.Null(listed["revokedAt"]);
        Assert.Null(listed["key"]);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync("/api/keys/" + id)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Http.GetAsync("/api/platforms/revoke.example/referrals")).StatusCode);
        var revoked = (await admin.GetJsonAsync("/api/keys"))["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.NotNull(revoked["revokedAt"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.DeleteAsync("/api/keys/nope")).StatusCode);
    }

    [Fact]
    public async Task ListingAndRevokingKeys_IsForAdminsOnly()
    {
        using var admin = service.Admin();
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.Http.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.Http.DeleteAsync("/api/keys/x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Client(null).Http.GetAsync("/api/keys")).StatusCode);
    }

    [Fact]
    public async Task ChangingTheBootstrapKey_RevokesThePreviousOne_AndARevokedKeyIsRefused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "contentwatch-bootstrap", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection().AddContentWatchStorage(StorageOptions.ForDataDirectory(folder)).AddSingleton<ApiKeyService>().BuildServiceProvider();
        try
        {
            await services.GetRequiredService<IStorageMigrator>().MigrateAsync(CancellationToken.None);
            var keys = services.GetRequiredService<ApiKeyService>();
            var first = await keys.EnsureBootstrapAdminAsync("first-bootstrap-key-0123456789", CancellationToken.None);
            var second = await keys.EnsureBootstrapAdminAsync("second-bootstrap-key-0123456789", CancellationToken.None);

            Assert.NotEqual(first.Id, second.Id);
            Assert.Null(await keys.FindAsync("first-bootstrap-key-0123456789", CancellationToken.None));
            Assert.NotNull(await keys.FindAsync("second-bootstrap-key-0123456789", CancellationToken.None));
            var again = await Assert.ThrowsAsync<InvalidOperationException>(() => keys.EnsureBootstrapAdminAsync("first-bootstrap-key-0123456789", CancellationToken.None));
            Assert.Contains("revoked", again.Message, StringComparison.Ordinal);
        }
        finally
        {
            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("change-me-long-random", "README's sample value")]
    [InlineData("short-key-23-characters", "at least 24 characters")]
    public async Task Serve_RefusesAWeakBootstrapKey_WithAClearMessage(string key, string message)
    {
        var folder = Path.Combine(Path.GetTempPath(), "contentwatch-bootstrap", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var (exit, _, error) = await CliProcess.RunAsync(folder, ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", folder],
                new Dictionary<string, string> { [ApiKeyService.BootstrapVariable] = key, ["Classification__ModelPath"] = RepoPaths.Model });

            Assert.Equal(1, exit);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain(key, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
