using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>A web node whose SQLite connections are not pooled, so no open connection outlives the database file.</summary>
public class ReadinessFixture : ServiceFixture
{
    public string Database => Path.Combine(DataDirectory, "contentwatch.db");

    protected override IEnumerable<string> ExtraArguments() =>
    [
        "--Node:Roles=web",
        $"--Storage:ConnectionString=Data Source={Database};Pooling=False",
        "--Logging:LogLevel:Default=None",
    ];

    /// <summary>The readiness answer, its status and JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync()
    {
        using var client = Client(null);
        using var response = await client.Http.GetAsync("/health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Asserts the overall status and each check's.</summary>
    public static void AssertStatuses(JsonNode ready, string overall, string database, string model)
    {
        Assert.Equal(overall, ready["status"]!.GetValue<string>());
        Assert.Equal(database, ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal(model, ready["checks"]!["model"]!["status"]!.GetValue<string>());
    }

    /// <summary>Asserts that <c>/health</c> answers as it did before readiness checks existed (issue 14 added the node's models to it).</summary>
    public async Task HealthIsAsItWasAsync()
    {
        using var client = Client(null);
        using var health = await client.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        Assert.Equal("web", body["roles"]!.GetValue<string>());
    }
}

/// <summary>The same node started with a model file that is not there: storage is prepared, the model never loads.</summary>
public sealed class NoModelFixture : ReadinessFixture
{
    protected override IEnumerable<string> ExtraArguments() =>
        [.. base.ExtraArguments(), "--Classification:ModelPath=" + Path.Combine(DataDirectory, "no-such-model.zip")];

    protected override Task PrepareAsync(WebApplication app) => app.Services.PrepareStorageAsync(app.Configuration, CancellationToken.None);
}

/// <summary><c>/health/ready</c> on Kestrel: 200 when the database and the model are there, 503 naming the check that fails.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class ReadinessTests(ReadinessFixture service) : IClassFixture<ReadinessFixture>
{
    [Fact]
    public async Task Ready_is_200_then_503_naming_the_database_once_it_cannot_be_opened_while_health_stays_as_it_was()
    {
        var (status, ready) = await service.ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        ReadinessFixture.AssertStatuses(ready, "healthy", "healthy", "healthy");
        Assert.StartsWith("model cw-", ready["checks"]!["model"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        // no pooled connection holds the file, so the next open finds a folder where the database was
        File.Move(service.Database, service.Database + ".moved");
        Directory.CreateDirectory(service.Database);

        (status, ready) = await service.ReadyAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        ReadinessFixture.AssertStatuses(ready, "unhealthy", database: "unhealthy", model: "healthy");
        await service.HealthIsAsItWasAsync();
    }
}

[Collection(InProcessHangfire.Name)]
public sealed class ModelReadinessTests(NoModelFixture service) : IClassFixture<NoModelFixture>
{
    [Fact]
    public async Task Ready_is_503_naming_the_model_when_it_is_not_loaded()
    {
        var (status, ready) = await service.ReadyAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        ReadinessFixture.AssertStatuses(ready, "unhealthy", database: "healthy", model: "unhealthy");
        await service.HealthIsAsItWasAsync();
    }
}
