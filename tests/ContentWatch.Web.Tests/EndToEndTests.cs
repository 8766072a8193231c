using System.Net;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>The whole path over real HTTP: report → classified → queue → confirm → export → platform status.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class EndToEndTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Smuggling =
        "🚤 Boat to UK every week from Dunkirk, guaranteed arrival. Price 1500€ per person, children half price. " +
        "Money stays with the office (guarantor) until you arrive in England. Contact WhatsApp +33 7 55 12 34 56";

    private const string Recipe =
        "My grandmother's lentil soup: fry two onions, add red lentils, cumin and lemon, simmer twenty minutes. Perfect for winter evenings.";

    [Fact]
    public async Task Report_IsClassified_Confirmed_Exported_AndThePlatformReportsBack()
    {
        using var admin = service.Admin();
        using var intake = service.Client(await admin.CreateKeyAsync("intake"));
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));
        using var platform = service.Client(await admin.CreateKeyAsync("platform", "facebook"));
        using var otherPlatform = service.Client(await admin.CreateKeyAsync("platform", "tiktok"));

        var url = "https://facebook.example/posts/" + Guid.NewGuid().ToString("N");
        using var posted = await intake.PostJsonAsync("/api/reports", new object[]
        {
            new { platform = "facebook", url, text = Smuggling, reporter = new { name = "Ana Reporter", email = "ana@ngo.example.org", organisation = "NGO" } },
            new { platform = "facebook", url = "https://facebook.example/posts/" + Guid.NewGuid().ToString("N"), text = Recipe },
            new { platform = "facebook", url = url + "/", text = "the same post reported again" },
        });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var items = (await ApiClient.ReadJsonAsync(posted))["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        var harmfulId = items[0]!["id"]!.GetValue<string>();
        var benignId = items[1]!["id"]!.GetValue<string>();
        Assert.Null(items[0]!["duplicateOf"]);
        Assert.Equal(harmfulId, items[2]!["duplicateOf"]!.GetValue<string>());

        var harmful = await ApiClient.EventuallyAsync(() => officer.GetJsonAsync($"/api/items/{harmfulId}"),
            i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the harmful item to be classified");
        Assert.Equal("in_review", harmful["status"]!.GetValue<string>());
        Assert.Equal(2, harmful["reportCount"]!.GetValue<int>());
        var verdict = harmful["verdict"]!;
        Assert.Equal("smuggling_service", verdict["label"]!.GetValue<string>());
        Assert.Equal("en", harmful["language"]!.GetValue<string>()); // the report gave none: identified at classification
        Assert.InRange(verdict["score"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(4, verdict["scores"]!.AsObject().Count);
        Assert.False(string.IsNullOrEmpty(verdict["model"]!.GetValue<string>()));

        var reports = (await officer.GetJsonAsync($"/api/items/{harmfulId}/reports"))["items"]!.AsArray();
        Assert.Equal(2, reports.Count);
        Assert.Equal("ana@ngo.example.org", reports[0]!["reporter"]!["email"]!.GetValue<string>());
        Assert.Equal("the same post reported again", reports[1]!["text"]!.GetValue<string>());

        var benign = await ApiClient.EventuallyAsync(() => officer.GetJsonAsync($"/api/items/{benignId}"),
            i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the benign item to be classified");
        Assert.Equal("dismissed", benign["status"]!.GetValue<string>());
        var dismissed = await officer.GetJsonAsync("/api/items?status=dismissed&platform=facebook&limit=500");
        Assert.Contains(dismissed["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == benignId);

        var queue = await officer.GetJsonAsync("/api/review/queue?limit=100");
        var entry = queue["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == harmfulId)!;
        Assert.Equal(url, entry["url"]!.GetValue<string>());
        Assert.Equal("facebook", entry["platform"]!.GetValue<string>());
        Assert.Equal(2, entry["reportCount"]!.GetValue<int>());
        Assert.StartsWith("🚤 Boat to UK", entry["excerpt"]!.GetValue<string>());
        Assert.DoesNotContain(queue["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == benignId);

        var decision = new { decision = "confirm", category = "smuggling_service", reason = "Sells Channel crossings with a price and a guarantor." };
        using var confirmed = await officer.PostJsonAsync($"/api/items/{harmfulId}/decision", decision);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var answer = await ApiClient.ReadJsonAsync(confirmed);
        Assert.Equal(harmfulId, answer["itemId"]!.GetValue<string>());
        Assert.Equal("confirm", answer["decision"]!.GetValue<string>());
        var referralId = answer["referralId"]!.GetValue<string>();
        using var again = await officer.PostJsonAsync($"/api/items/{harmfulId}/decision", decision);
        Assert.Equal(referralId, (await ApiClient.ReadJsonAsync(again))["referralId"]!.GetValue<string>());
        using var rejectAfter = await officer.PostJsonAsync($"/api/items/{harmfulId}/decision", new { decision = "reject", reason = "changed my mind" });
        Assert.Equal(HttpStatusCode.Conflict, rejectAfter.StatusCode);

        var audit = (await officer.GetJsonAsync($"/api/items/{harmfulId}/audit"))["items"]!.AsArray();
        Assert.Equal(2, audit.Count);
        Assert.Equal("in_review", audit[0]!["statusBefore"]!.GetValue<string>());
        Assert.Equal("confirmed", audit[1]!["statusBefore"]!.GetValue<string>());
        Assert.StartsWith("key:", audit[0]!["actor"]!.GetValue<string>());

        // the wrong platform sees nothing of facebook's; a platform cannot review
        using (var denied = await otherPlatform.Http.PostAsync("/api/platforms/facebook/exports", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using (var denied = await otherPlatform.Http.GetAsync("/api/platforms/facebook/exports"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using (var denied = await platform.Http.GetAsync("/api/review/queue"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var created = await platform.Http.PostAsync("/api/platforms/facebook/exports", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var batch = await ApiClient.ReadJsonAsync(created);
        Assert.Equal("facebook", batch["platform"]!.GetValue<string>());
        Assert.True(batch["count"]!.GetValue<int>() >= 1);
        var exportId = batch["id"]!.GetValue<string>();
        using (var nothing = await platform.Http.PostAsync("/api/platforms/facebook/exports", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, nothing.StatusCode);
        }

        var listed = await platform.GetJsonAsync("/api/platforms/facebook/exports");
        Assert.Contains(listed["items"]!.AsArray(), b => b!["id"]!.GetValue<string>() == exportId);

        var document = await platform.GetJsonAsync($"/api/platforms/facebook/exports/{exportId}?format=json");
        var notice = document["notices"]!.AsArray().Single(n => n!["referralId"]!.GetValue<string>() == referralId)!;
        Assert.Equal(url, notice["url"]!.GetValue<string>());
        Assert.Equal(harmfulId, notice["itemId"]!.GetValue<string>());
        Assert.Equal("smuggling_service", notice["category"]!.GetValue<string>());
        Assert.Contains("Sells Channel crossings", notice["explanation"]!.GetValue<string>());
        Assert.Equal("Test Referral Unit", notice["notifier"]!["name"]!.GetValue<string>());
        Assert.Equal("referrals@unit.example.org", notice["notifier"]!["email"]!.GetValue<string>());
        Assert.Contains("good", notice["goodFaithStatement"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.True(notice["automatedDetection"]!.GetValue<bool>());
        Assert.Equal(Sha256(Smuggling), notice["evidenceSha256"]!.GetValue<string>());
        Assert.True(notice["reportedAt"]!.GetValue<DateTimeOffset>() <= notice["decidedAt"]!.GetValue<DateTimeOffset>());

        using var csv = await platform.Http.GetAsync($"/api/platforms/facebook/exports/{exportId}?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("exportId,platform,referralId,itemId,url,category,explanation,notifierName,notifierEmail,goodFaithStatement,automatedDetection,evidenceSha256,reportedAt,decidedAt", csvText);
        Assert.Contains(url, csvText);

        using (var denied = await otherPlatform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "removed" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var status = await platform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "removed", at = DateTimeOffset.UtcNow.ToString("O"), note = "taken down" });
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var referral = await platform.GetJsonAsync($"/api/referrals/{referralId}");
        Assert.Equal("removed", referral["status"]!.GetValue<string>());
        Assert.Equal("taken down", referral["statusNote"]!.GetValue<string>());
        var referrals = await platform.GetJsonAsync("/api/platforms/facebook/referrals");
        Assert.Contains(referrals["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == referralId);
    }

    [Theory]
    [InlineData("GET", "/api/review/queue")]
    [InlineData("POST", "/api/reports")]
    [InlineData("GET", "/api/items/x")]
    [InlineData("POST", "/api/keys")]
    [InlineData("GET", "/api/platforms/facebook/exports")]
    [InlineData("POST", "/api/referrals/x/status")]
    [InlineData("GET", "/hangfire")]
    public async Task Every_endpoint_refuses_a_missing_or_unknown_key(string method, string path)
    {
        foreach (var key in new string?[] { null, "cw_not_a_real_key_at_all_000000" })
        {
            using var client = service.Client(key);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null };
            using var response = await client.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("intake", "GET", "/api/review/queue")]
    [InlineData("officer", "POST", "/api/keys")]
    [InlineData("platform", "POST", "/api/reports")]
    [InlineData("platform", "GET", "/api/items/x")]
    [InlineData("intake", "GET", "/hangfire")]
    [InlineData("officer", "GET", "/hangfire")]
    public async Task A_key_of_the_wrong_role_is_forbidden(string role, string method, string path)
    {
        using var admin = service.Admin();
        using var client = service.Client(await admin.CreateKeyAsync(role, role == "platform" ? "facebook" : null));
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null };
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Admin_sees_the_hangfire_dashboard()
    {
        using var admin = service.Admin();
        using var response = await admin.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_reject_dismisses_nothing_and_creates_no_referral()
    {
        using var admin = service.Admin();
        using var posted = await admin.PostJsonAsync("/api/reports", new { platform = "telegram", url = "https://t.example/c/" + Guid.NewGuid().ToString("N"), text = Smuggling + " " + Guid.NewGuid() });
        var id = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        using var rejected = await admin.PostJsonAsync($"/api/items/{id}/decision", new { decision = "reject", category = "benign", reason = "A journalist quoting an advert." });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var answer = await ApiClient.ReadJsonAsync(rejected);
        Assert.Null(answer["referralId"]);
        var item = await admin.GetJsonAsync($"/api/items/{id}");
        Assert.Equal("rejected", item["status"]!.GetValue<string>());
        using var missing = await admin.PostJsonAsync("/api/items/nope/decision", new { decision = "reject", reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
