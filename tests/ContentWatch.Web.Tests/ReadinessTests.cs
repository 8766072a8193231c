using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>
/// <c>/health/ready</c> against a web node on Kestrel: 200 when the database and the model are there, 503 naming the check
/// that fails; <c>/health</c> answers as before either way. Each test starts its own service.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private HttpClient? _http;

    private string Database => Path.Combine(_folder, "contentwatch.db");

    [Fact]
    public async Task Ready_is_200_then_503_naming_the_database_once_it_cannot_be_opened_while_health_stays_as_it_was()
    {
        await StartAsync(loadModel: true, "--Classification:ModelPath=" + RepoPaths.Model);
        var (status, ready) = await GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.StartsWith("model cw-", ready["checks"]!["model"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        // no pooled connection holds the file (Pooling=False), so the next open finds a folder where the database was
        File.Move(Database, Database + ".moved");
        Directory.CreateDirectory(Database);

        (status, ready) = await GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", ready["status"]!.GetValue<string>());
        Assert.Equal("unhealthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["model"]!["status"]!.GetValue<string>());
        await HealthIsAsItWasAsync();
    }

    [Fact]
    public async Task Ready_is_503_naming_the_model_when_it_is_not_loaded()
    {
        await StartAsync(loadModel: false, "--Classification:ModelPath=" + Path.Combine(_folder, "no-such-model.zip"));

        var (status, ready) = await GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", ready["checks"]!["model"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        await HealthIsAsItWasAsync();
    }

    private async Task HealthIsAsItWasAsync()
    {
        using var health = await _http!.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"ok","roles":"web"}""", await health.Content.ReadAsStringAsync());
    }

    private async Task StartAsync(bool loadModel, params string[] settings)
    {
        Directory.CreateDirectory(_folder);
        _app = ContentWatchApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Node:Roles=web",
            $"--Storage:ConnectionString=Data Source={Database};Pooling=False",
            "--Export:NotifierName=Test Referral Unit",
            "--Export:NotifierEmail=referrals@unit.example.org",
            "--Logging:LogLevel:Default=None",
            .. settings,
        ]);
        if (loadModel)
        {
            await ContentWatchApp.PrepareAsync(_app, CancellationToken.None);
        }
        else
        {
            await _app.Services.PrepareStorageAsync(_app.Configuration, CancellationToken.None);
        }

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path)
    {
        using var response = await _http!.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
