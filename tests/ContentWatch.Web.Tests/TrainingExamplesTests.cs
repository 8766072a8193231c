using System.Net;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>
/// Decisions recorded through the API come back from <c>GET /api/training/examples</c> as JSON Lines, and train a model
/// with <c>contentwatch train --decisions --from-store</c> on the same database.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class TrainingExamplesTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Hostile = "Boat to UK </script><script>alert(1)</script> & 'quotes' \u2028 line\nbreak 🚤 مرحبا";

    private sealed record Posted(string Id, string Platform, string Text, string? Title);

    private static async Task<Posted> ReportAsync(ApiClient intake, string platform, string text, string? title = null)
    {
        using var response = await intake.PostJsonAsync("/api/reports",
            new { platform, url = $"https://{platform}.example/p/{Guid.NewGuid():N}", text, title, language = "en" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return new Posted((await ApiClient.ReadJsonAsync(response))["items"]![0]!["id"]!.GetValue<string>(), platform, text, title);
    }

    private static async Task DecideAsync(ApiClient officer, string itemId, string decision, string? category = null)
    {
        using var response = await officer.PostJsonAsync($"/api/items/{itemId}/decision", new { decision, category, reason = "Checked by the desk." });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpResponseMessage Response, List<JsonObject> Lines, string Body)> ExamplesAsync(ApiClient client, string query = "")
    {
        var response = await client.Http.GetAsync("/api/training/examples" + query);
        var body = await response.Content.ReadAsStringAsync();
        var lines = response.IsSuccessStatusCode
            ? body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];
        return (response, lines, body);
    }

    [Fact]
    public async Task Decisions_recorded_through_the_API_stream_back_as_examples_for_admins_only_and_train_a_model()
    {
        using var admin = service.Admin();
        var officerKey = await admin.CreateKeyAsync("officer");
        using var intake = service.Client(await admin.CreateKeyAsync("intake"));
        using var officer = service.Client(officerKey);
        using var platform = service.Client(await admin.CreateKeyAsync("platform", "telegram"));
        using var anonymous = service.Client(null);

        var run = Guid.NewGuid().ToString("N")[..8];
        var confirmed = await ReportAsync(intake, "telegram", Hostile + " " + run, title: "Crossing " + run);
        var rejected = await ReportAsync(intake, "facebook", "Ferry timetable for the summer, departures at 06:00 " + run);
        var reversed = await ReportAsync(intake, "tiktok", "Visa help, call us " + run);
        var forged = await ReportAsync(intake, "telegram", "Real registered passports for sale " + run);

        await DecideAsync(officer, confirmed.Id, "confirm", "smuggling_service");
        await DecideAsync(officer, rejected.Id, "reject");
        await DecideAsync(officer, reversed.Id, "reject");
        await DecideAsync(officer, reversed.Id, "confirm", "document_fraud");
        await DecideAsync(officer, forged.Id, "confirm", "document_fraud");

        var (response, lines, body) = await ExamplesAsync(admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([confirmed.Id, rejected.Id, forged.Id], lines.Select(l => l["itemId"]!.GetValue<string>()));
        Assert.Equal(["smuggling_service", "benign", "document_fraud"], lines.Select(l => l["label"]!.GetValue<string>()));

        // The hostile text survives exactly, escaped so that no line holds markup or a second line break.
        Assert.Equal(lines.Count, body.Count(c => c == '\n'));
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', body);
        Assert.Contains("مرحبا", body, StringComparison.Ordinal);
        var first = lines[0];
        var audit = (await officer.GetJsonAsync($"/api/items/{confirmed.Id}/audit"))["items"]!.AsArray().Single()!;
        Assert.Equal(confirmed.Text, first["text"]!.GetValue<string>());
        Assert.Equal(confirmed.Title, first["title"]!.GetValue<string>());
        Assert.Equal("desk:" + audit["id"]!.GetValue<string>(), first["id"]!.GetValue<string>());
        Assert.Equal(audit["id"]!.GetValue<string>(), first["decisionId"]!.GetValue<string>());
        Assert.Equal(audit["actor"]!.GetValue<string>(), first["officer"]!.GetValue<string>());
        Assert.Equal(audit["at"]!.GetValue<DateTimeOffset>(), first["decidedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("telegram", first["platform"]!.GetValue<string>());
        Assert.Equal("en", first["language"]!.GetValue<string>());
        Assert.Equal("en", first["lang"]!.GetValue<string>());
        Assert.Equal("post", first["kind"]!.GetValue<string>());
        Assert.Equal("desk", first["writer"]!.GetValue<string>());
        Assert.Null(lines[1]["title"]);

        // since: from the last decision's time on.
        var since = lines[2]["decidedAt"]!.GetValue<string>();
        var (_, fromLast, _) = await ExamplesAsync(admin, "?since=" + Uri.EscapeDataString(since));
        Assert.Equal([forged.Id], fromLast.Select(l => l["itemId"]!.GetValue<string>()));
        var (_, tomorrow, _) = await ExamplesAsync(admin, "?since=" + DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd"));
        Assert.Empty(tomorrow);

        // Admins only; a bad since is a 400 naming the field.
        Assert.Equal(HttpStatusCode.Forbidden, (await ExamplesAsync(officer)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ExamplesAsync(platform)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ExamplesAsync(anonymous)).Response.StatusCode);
        foreach (var bad in new[] { "yesterday", "2026-13-45", new string('2', 100), "2026-12-01T00:00:00Z%00" })
        {
            using var refused = await admin.Http.GetAsync("/api/training/examples?since=" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.True((await ApiClient.ReadJsonAsync(refused))["errors"]!.AsObject().ContainsKey("since"));
        }

        // The same decisions train a model straight from the database.
        var folder = Path.Combine(Path.GetTempPath(), "contentwatch-train-store", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var model = Path.Combine(folder, "m.zip");
            var train = await CliProcess.RunAsync(folder,
            [
                "train", "--corpus", TrainCommandTests.SampleCorpus, "--data", "none", "--lexicon", "none",
                "--output", model, "--decisions", "--from-store", "--data-dir", service.DataDirectory,
            ]);
            Assert.True(train.Exit == 0, train.Err + train.Out);
            Assert.Contains("read 3 decisions from the store", train.Out);
            var decisions = TrainCommandTests.Metadata(model)["decisions"]!;
            Assert.Equal("store", decisions["source"]!.GetValue<string>());
            Assert.Equal(3, decisions["count"]!.GetValue<int>());
            Assert.Equal(lines[2]["decidedAt"]!.GetValue<DateTimeOffset>(), decisions["newest_decided_at"]!.GetValue<DateTimeOffset>());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
