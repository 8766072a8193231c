using System.Net;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>
/// Who is behind it, over real HTTP on Kestrel: a confirmed advert's phone brings a later innocent-looking post into
/// review through the watchlist; five copies of an advert with other prices and phones form one cluster; one cluster
/// decision makes five referrals; the watched indicators leave as a valid STIX 2.1 bundle without reporter data.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class NetworksEndToEndTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string Forger =
        "Real EU passports and residence cards, registered in the system, delivery in 7 days, no questions. " +
        "Call or Telegram +44 7700 900123, documents also via ana@ngo.example.org";

    private const string Bicycle = "Selling my daughter's old bicycle, blue, good condition, collection only. Call 0044 7700 900 123 after six.";

    private const string Crossing =
        "🚤 Boat to UK every week from Dunkirk, guaranteed arrival. Price {0} per person, children half price. " +
        "Money stays with the office (guarantor) until you arrive in England. Contact WhatsApp {1}";

    private static readonly (string Price, string Phone)[] Copies =
    [
        ("1500€", "+33 7 55 12 34 56"), ("1800€", "+44 7700 900456"), ("1200 euro", "+49 151 23456789"), ("£1400", "+90 532 123 45 67"), ("2000€", "+218 91 234 5678"),
    ];

    private static async Task<JsonNode> ClassifiedAsync(ApiClient officer, string id) =>
        await ApiClient.EventuallyAsync(() => officer.GetJsonAsync($"/api/items/{id}"), i => i["status"]!.GetValue<string>() != "pending",
            TimeSpan.FromSeconds(60), $"item {id} to be classified");

    private static async Task<string> PostAsync(ApiClient intake, string platform, string text, object? reporter = null)
    {
        using var posted = await intake.PostJsonAsync("/api/reports", new { platform, url = $"https://{platform}.example/p/{Guid.NewGuid():N}", text, reporter });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        return (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Watchlist_Clusters_ClusterDecision_AndStixExport()
    {
        using var admin = service.Admin();
        using var intake = service.Client(await admin.CreateKeyAsync("intake"));
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));

        // 1. a confirmed advert's phone number brings a later innocent-looking post with the same number into review
        var forgerId = await PostAsync(intake, "facebook", Forger, new { name = "Ana Reporter", email = "ana@ngo.example.org", organisation = "NGO" });
        var forger = await ClassifiedAsync(officer, forgerId);
        Assert.Contains(forger["indicators"]!.AsArray(), i => i!["type"]!.GetValue<string>() == "phone" && i["value"]!.GetValue<string>() == "+447700900123");
        Assert.Null(forger["clusterId"]);
        using (var confirmed = await officer.PostJsonAsync($"/api/items/{forgerId}/decision",
            new { decision = "confirm", category = "document_fraud", reason = "Sells forged passports." }))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var watchlist = (await officer.GetJsonAsync("/api/watchlist?type=phone&value=%2B44%207700%20900123"))["items"]!.AsArray();
        var entry = Assert.Single(watchlist)!;
        Assert.Equal(forgerId, entry["itemId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(entry["decisionId"]?.GetValue<string>()));

        var bicycleId = await PostAsync(intake, "marketplace", Bicycle);
        var bicycle = await ClassifiedAsync(officer, bicycleId);
        Assert.Equal("in_review", bicycle["status"]!.GetValue<string>());
        Assert.True(bicycle["verdict"]!["score"]!.GetValue<double>() < 0.5, "the model alone would have dismissed it");
        var evidence = bicycle["verdict"]!["evidence"]!;
        Assert.Contains("watchlist", evidence.ToJsonString(), StringComparison.Ordinal);
        var hit = evidence["watchlist"]!.AsArray().Single(h => h!["type"]!.GetValue<string>() == "phone")!;
        Assert.Equal("+447700900123", hit["value"]!.GetValue<string>());
        Assert.Equal(forgerId, hit["itemId"]!.GetValue<string>());
        var sightings = await officer.GetJsonAsync("/api/indicators?type=phone&value=%2B447700900123");
        Assert.Equal(2, sightings["itemCount"]!.GetValue<int>());
        Assert.Equal(["facebook", "marketplace"], sightings["platforms"]!.AsArray().Select(p => p!.GetValue<string>()));

        // 2. five copies with different prices and phones get one clusterId
        var copyIds = new List<string>();
        for (var i = 0; i < Copies.Length; i++)
        {
            copyIds.Add(await PostAsync(intake, i % 2 == 0 ? "facebook" : "telegram", string.Format(null, Crossing, Copies[i].Price, Copies[i].Phone)));
        }

        var copies = new List<JsonNode>();
        foreach (var id in copyIds)
        {
            copies.Add(await ClassifiedAsync(officer, id));
        }

        var clusterId = copies[0]["clusterId"]?.GetValue<string>();
        Assert.NotNull(clusterId);
        Assert.All(copies, c => Assert.Equal(clusterId, c["clusterId"]?.GetValue<string>()));
        var cluster = await officer.GetJsonAsync($"/api/clusters/{clusterId}");
        Assert.Equal(copyIds, cluster["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(["facebook", "telegram"], cluster["platforms"]!.AsArray().Select(p => p!.GetValue<string>()));
        var template = cluster["template"]!.GetValue<string>();
        Assert.Contains("Boat to UK every week from Dunkirk", template, StringComparison.Ordinal);
        var kinds = cluster["slots"]!.AsArray().Select(s => s!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("price", kinds);
        Assert.Contains("phone", kinds);

        // 3. one cluster decision makes five referrals, each decision its own audit record naming the cluster
        using var decided = await officer.PostJsonAsync($"/api/clusters/{clusterId}/decision",
            new { decision = "confirm", category = "smuggling_service", reason = "The same Channel crossing offer, posted five times." });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var items = (await ApiClient.ReadJsonAsync(decided))["items"]!.AsArray();
        Assert.Equal(copyIds.Order(), items.Select(i => i!["itemId"]!.GetValue<string>()).Order());
        Assert.All(items, i => Assert.Equal("confirm", i!["decision"]!.GetValue<string>()));
        var referralIds = items.Select(i => i!["referralId"]!.GetValue<string>()).ToList();
        Assert.Equal(5, referralIds.Distinct().Count());
        foreach (var id in copyIds)
        {
            var audit = Assert.Single((await officer.GetJsonAsync($"/api/items/{id}/audit"))["items"]!.AsArray())!;
            Assert.Equal(clusterId, audit["clusterId"]!.GetValue<string>());
        }

        using (var again = await officer.PostJsonAsync($"/api/clusters/{clusterId}/decision", new { decision = "reject", reason = "nothing left to decide" }))
        {
            Assert.Empty((await ApiClient.ReadJsonAsync(again))["items"]!.AsArray());
        }

        // the cluster decision's records and the watchlist entries it made are in the audit chains, which hold
        var verified = await CliProcess.RunAsync(service.DataDirectory, ["audit", "verify"], new Dictionary<string, string> { ["Storage__DataDirectory"] = service.DataDirectory });
        Assert.True(verified.Exit == 0, verified.Out + verified.Err);
        Assert.Contains("6 decisions (0 from before the chain began), ", verified.Out, StringComparison.Ordinal);
        Assert.Contains(" watchlist records (0 from before the chain began), 6 evidence snapshots; chains intact", verified.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("watchlist head (none)", verified.Out, StringComparison.Ordinal);

        // 4. the STIX export parses as STIX 2.1, carries the watched phones, and no reporter's data
        using var export = await officer.Http.GetAsync("/api/indicators/export?format=stix");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/stix+json", export.Content.Headers.ContentType!.MediaType);
        var text = await export.Content.ReadAsStringAsync();
        var bundle = JsonNode.Parse(text)!;
        Assert.Empty(Stix21.Problems(bundle));
        var patterns = bundle["objects"]!.AsArray().Where(o => o!["type"]!.GetValue<string>() == "indicator").Select(o => o!["pattern"]!.GetValue<string>()).ToList();
        Assert.Contains("[x-phone-number:value = '+447700900123']", patterns);
        Assert.Contains("[x-phone-number:value = '+33755123456']", patterns);
        Assert.Contains("[user-account:account_type = 'whatsapp' AND user-account:account_login = '+33755123456']", patterns);
        Assert.DoesNotContain("ana@ngo.example.org", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ana Reporter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key:", text, StringComparison.Ordinal);

        var csv = await officer.Http.GetStringAsync("/api/indicators/export?format=csv");
        Assert.StartsWith("type,value,firstSeen,lastSeen,watchedSince,itemCount,platforms,categories", csv, StringComparison.Ordinal);
        Assert.Contains("phone,\"'+447700900123\",", csv, StringComparison.Ordinal); // a formula-like cell is escaped and quoted
        Assert.DoesNotContain("ana@ngo.example.org", csv, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void EntityService_IsOffByDefault_SoNothingLeavesTheMachine()
    {
        Assert.IsType<ContentWatch.Core.Networks.NoEntityRecognizer>(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ContentWatch.Core.Networks.IEntityRecognizer>(service.Services));
    }

    [Fact]
    public async Task Watchlist_AddAndRemove_ByOfficers_WithFieldErrors()
    {
        using var admin = service.Admin();
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));
        using var intake = service.Client(await admin.CreateKeyAsync("intake"));

        using var created = await officer.PostJsonAsync("/api/watchlist", new { type = "telegram", value = "@Docs_Master", reason = "Forger known to partners" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = await ApiClient.ReadJsonAsync(created);
        var id = entry["id"]!.GetValue<string>();
        Assert.Equal("docs_master", entry["value"]!.GetValue<string>());
        Assert.Contains((await officer.GetJsonAsync("/api/watchlist"))["items"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id);

        using (var bad = await officer.PostJsonAsync("/api/watchlist", new { type = "fax", value = new string('9', 20_000), reason = 7 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
            Assert.NotNull((await ApiClient.ReadJsonAsync(bad))["errors"]!["reason"]);
        }

        using (var bad = await officer.PostJsonAsync("/api/watchlist", new { type = "wallet", value = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", reason = "typo" }))
        {
            var errors = (await ApiClient.ReadJsonAsync(bad))["errors"]!;
            Assert.NotNull(errors["value"]);
        }

        using (var denied = await intake.PostJsonAsync("/api/watchlist", new { type = "telegram", value = "@x_handle", reason = "r" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using (var removed = await officer.Http.DeleteAsync($"/api/watchlist/{id}?reason=Account%20closed"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.Equal("Account closed", (await ApiClient.ReadJsonAsync(removed))["removedReason"]!.GetValue<string>());
        }

        var audited = await officer.GetJsonAsync($"/api/watchlist/{id}");
        Assert.Equal(["add", "remove"], audited["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.DoesNotContain((await officer.GetJsonAsync("/api/watchlist"))["items"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id);
        using (var missing = await officer.Http.DeleteAsync("/api/watchlist/00000000000000000000000000000000"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var missing = await officer.Http.GetAsync("/api/clusters/00000000000000000000000000000000"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var bad = await officer.Http.GetAsync("/api/indicators?type=phone&value=not-a-number"))
        {
            Assert.NotNull((await ApiClient.ReadJsonAsync(bad))["errors"]!["value"]);
        }

        using (var bad = await officer.Http.GetAsync("/api/indicators/export?format=xml"))
        {
            Assert.NotNull((await ApiClient.ReadJsonAsync(bad))["errors"]!["format"]);
        }
    }
}
