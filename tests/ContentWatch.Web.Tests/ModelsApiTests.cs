using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Models;

namespace ContentWatch.Web.Tests;

/// <summary>
/// The model registry's API on Kestrel: the shipped model registered as active on first start, who may read and change
/// it, hostile bodies and ids, shadow verdicts on items and the shadow report, the promotion gate's 409 and its forced
/// override (audited), rollback, and a rescore's progress.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class ModelsApiTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static readonly string Shipped = Classifier.ModelFile.ReadMetadata(RepoPaths.Model).ModelVersion;

    [Fact]
    public async Task Models_AreListedToOfficers_WithTheShippedModelActive_AndOnlyAdminsChangeThem()
    {
        using var admin = service.Admin();
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));
        using var anonymous = service.Client(null);

        var list = await officer.GetJsonAsync("/api/models");
        var shipped = list["items"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == Shipped)!;
        Assert.Matches("^[0-9a-f]{64}$", shipped["sha256"]!.GetValue<string>());
        Assert.True(shipped["createdAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(900, shipped["metrics"]!["golden"]!["count"]!.GetValue<int>());
        Assert.InRange(shipped["metrics"]!["golden"]!["f1"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(
            Classifier.ModelFile.ReadMetadata(RepoPaths.Model).LeaveOneWriterOut!.Writers.Count,
            shipped["metrics"]!["leaveOneWriterOut"]!["writers"]!.GetValue<int>());
        Assert.Equal(ModelRegistry.FirstStartActor, (await officer.GetJsonAsync($"/api/models/{Shipped}"))["events"]![0]!["actor"]!.GetValue<string>());

        using (var refused = await officer.Http.PostAsync($"/api/models/{Shipped}/activate", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var unauthenticated = await anonymous.Http.GetAsync("/api/models"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        using (var unknown = await admin.Http.PostAsync("/api/models/cw-no-such-model/shadow", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        }

        using (var longId = await admin.Http.PostAsync($"/api/models/{new string('x', 5_000)}/activate", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, longId.StatusCode);
        }

        using (var wrongType = await admin.PostRawAsync($"/api/models/{Shipped}/shadow", """{"force":"yes"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.Equal("must be true or false", (await ApiClient.ReadJsonAsync(wrongType))["errors"]!["force"]![0]!.GetValue<string>());
        }

        using (var notJson = await admin.PostRawAsync($"/api/models/{Shipped}/shadow", "force=true", "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        }

        using (var twice = await admin.PostRawAsync($"/api/models/{Shipped}/activate", """{"force":true,"force":false}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        }

        using var shadowActive = await admin.Http.PostAsync($"/api/models/{Shipped}/shadow", null);
        Assert.Equal(HttpStatusCode.Conflict, shadowActive.StatusCode); // the active model cannot also shadow itself
        Assert.Equal(Shipped, (await admin.GetJsonAsync("/health"))["models"]!["active"]!.GetValue<string>());
    }

    [Fact]
    public async Task AShadowModel_ScoresNewItemsBesideTheActiveOne_TheGateRefusesIt_AndForceAndRollbackAreAudited()
    {
        using var admin = service.Admin();
        var (sample, _) = await service.Services.GetRequiredService<ModelRegistry>()
            .ImportAsync(await File.ReadAllBytesAsync(await TestModels.FirstCorpusModelAsync()), "test", CancellationToken.None);

        using (var shadowed = await admin.Http.PostAsync($"/api/models/{sample.Id}/shadow", null))
        {
            Assert.Equal(HttpStatusCode.OK, shadowed.StatusCode);
            Assert.Equal("shadow", (await ApiClient.ReadJsonAsync(shadowed))["status"]!.GetValue<string>());
        }

        var id = await PostAsync(admin, "Crossing to the UK from Calais tonight, boat leaves at 2am, 1500 euro per person, WhatsApp +33 6 11 22 33 44");
        var item = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{id}"), i => i["verdict"] is not null, TimeSpan.FromSeconds(30), "the verdict");
        Assert.Equal(Shipped, item["verdict"]!["model"]!.GetValue<string>());
        var shadowVerdict = item["shadowVerdict"]!;
        Assert.Equal(sample.Id, shadowVerdict["model"]!.GetValue<string>());
        Assert.InRange(shadowVerdict["score"]!.GetValue<double>(), 0, 1);
        Assert.Contains(shadowVerdict["label"]!.GetValue<string>(), Core.Classification.Labels.All);

        var report = await admin.GetJsonAsync($"/api/models/{sample.Id}/shadow-report");
        Assert.True(report["compared"]!.GetValue<int>() >= 1);
        Assert.InRange(report["agreement"]!.GetValue<double>(), 0, 1);
        Assert.NotNull(report["shadowOnly"]!["items"]);
        Assert.NotNull(report["decided"]!["shadow"]);

        using (var refused = await admin.Http.PostAsync($"/api/models/{sample.Id}/activate", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            var comparison = (await ApiClient.ReadJsonAsync(refused))["comparison"]!;
            Assert.True(comparison["worse"]!.GetValue<bool>());
            Assert.Equal(Shipped, comparison["activeId"]!.GetValue<string>());
            Assert.True(comparison["golden"]!["candidate"]!["f1"]!.GetValue<double>() < comparison["golden"]!["active"]!["f1"]!.GetValue<double>());
        }

        using (var forced = await admin.PostJsonAsync($"/api/models/{sample.Id}/activate", new { force = true }))
        {
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
            var model = await ApiClient.ReadJsonAsync(forced);
            Assert.Equal(("active", true), (model["status"]!.GetValue<string>(), model["comparison"]!["worse"]!.GetValue<bool>()));
        }

        var newer = await PostAsync(admin, "Selling my bicycle, 120 euro, collection in Lyon");
        Assert.Equal(sample.Id, (await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{newer}"), i => i["verdict"] is not null,
            TimeSpan.FromSeconds(30), "the verdict"))["verdict"]!["model"]!.GetValue<string>());

        // rolling back: the previous model passes the gate against the weaker one
        using (var rollback = await admin.Http.PostAsync($"/api/models/{Shipped}/activate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        }

        var events = (await admin.GetJsonAsync($"/api/models/{sample.Id}"))["events"]!.AsArray();
        Assert.Equal(["candidate", "shadow", "active", "retired"], events.Select(e => e!["toStatus"]!.GetValue<string>()));
        var activation = events[2]!;
        Assert.True(activation["forced"]!.GetValue<bool>());
        Assert.StartsWith("key:", activation["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("\"worse\":true", activation["comparison"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Shipped, (await admin.GetJsonAsync("/health"))["models"]!["active"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rescore_ChecksItsBody_AndReportsItsProgress()
    {
        using var admin = service.Admin();
        var id = await PostAsync(admin, "Boat to Lampedusa from Sfax on Friday, 2000 dinars, guaranteed, call +216 20 123 456");
        await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{id}"), i => i["verdict"] is not null, TimeSpan.FromSeconds(30), "the verdict");

        using (var noSince = await admin.PostJsonAsync($"/api/models/{Shipped}/rescore", new { includeDismissed = true }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSince.StatusCode);
            Assert.NotNull((await ApiClient.ReadJsonAsync(noSince))["errors"]!["since"]);
        }

        using (var badWindow = await admin.PostJsonAsync($"/api/models/{Shipped}/rescore", new { since = "2026-01-01", includeDismissed = true, from = "2026-02-01", to = "2026-01-15" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        }

        using (var notADate = await admin.PostJsonAsync($"/api/models/{Shipped}/rescore", new { since = "yesterday" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notADate.StatusCode);
        }

        using var started = await admin.PostJsonAsync($"/api/models/{Shipped}/rescore", new { since = DateTimeOffset.UtcNow.AddHours(-1).ToString("O") });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await ApiClient.ReadJsonAsync(started);
        Assert.True(run["total"]!.GetValue<int>() >= 1);
        var done = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync(started.Headers.Location!.ToString()), r => r["finished"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(60), "the rescore to finish");
        Assert.Equal(done["total"]!.GetValue<int>(), done["done"]!.GetValue<int>());
        Assert.True(done["outcomes"]!.AsObject().Count >= 1);
    }

    private static async Task<string> PostAsync(ApiClient client, string text)
    {
        using var posted = await client.PostJsonAsync("/api/reports", new { platform = "modelbook", url = "https://modelbook.example/p/" + Guid.NewGuid().ToString("N"), text });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
    }
}
