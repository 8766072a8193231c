using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using ContentWatch.Core.Rechecks;

namespace ContentWatch.Web.Tests;

/// <summary>
/// The service beside a fake platform and a fake content host on 127.0.0.1 (one local server): the platform's webhook
/// answers as each test sets it and checks every signature with the StandardWebhooks library; the content host serves
/// adverts whose status a test can turn to 404.
/// </summary>
public sealed class FollowUpFixture : ServiceFixture
{
    private WebApplication? _fake;

    public string FakeBase { get; private set; } = "";

    /// <summary>Per platform, its webhook secret; the fake verifies with it.</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Per platform, how many attempts to fail with 500 before answering 200 (int.MaxValue: always down).</summary>
    public ConcurrentDictionary<string, int> FailFirst { get; } = new();

    /// <summary>Every request the webhook received: platform, webhook-id, HTTP status answered, verified (null when not), body.</summary>
    public ConcurrentQueue<(string Platform, string Id, int Status, bool Verified, string Body)> Received { get; } = new();

    /// <summary>Per advert path, the status the content host answers (200 when not set).</summary>
    public ConcurrentDictionary<string, int> AdStatus { get; } = new();

    public override async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _fake = builder.Build();
        _fake.MapPost("/hooks/{platform}", async (string platform, HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var seen = Received.Count(r => r.Platform == platform);
            var verified = false;
            try
            {
                new StandardWebhook(Secrets[platform]).Verify(body, context.Request.Headers);
                verified = true;
            }
            catch (Exception e) when (e is StandardWebhooks.Diagnostics.WebhookVerificationException or KeyNotFoundException or FormatException)
            {
            }

            var status = seen < FailFirst.GetValueOrDefault(platform) ? 500 : verified ? 200 : 401;
            Received.Enqueue((platform, context.Request.Headers["webhook-id"].ToString(), status, verified, body));
            return Results.StatusCode(status);
        });
        _fake.MapGet("/ads/{id}", (string id) =>
        {
            var status = AdStatus.GetValueOrDefault(id, 200);
            return status == 200 ? Results.Text($"<html><body>Boat to UK, advert {id}</body></html>", "text/html") : Results.StatusCode(status);
        });
        await _fake.StartAsync();
        FakeBase = _fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await base.InitializeAsync();
    }

    protected override IEnumerable<string> ExtraArguments() =>
    [
        "--Outbound:AllowPrivateNetworks=true",
        "--Delivery:RetryBaseSeconds=1",
        "--Delivery:SweepCron=0 0 1 1 *",
        "--Rechecks:PlatformSlaHours:slowbook=0.0003",
    ];

    /// <summary>The settings a <c>contentwatch</c> process needs to work on this service's database.</summary>
    public Dictionary<string, string> CliEnvironment() => new()
    {
        ["Storage__DataDirectory"] = DataDirectory,
        ["Classification__ModelPath"] = RepoPaths.Model,
        ["Outbound__AllowPrivateNetworks"] = "true",
        ["Rechecks__PerHostDelayMilliseconds"] = "0",
        ["Outbound__TimeoutSeconds"] = "60", // the fake host lives in the busy test process
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}

[Collection(InProcessHangfire.Name)]
public sealed class FollowUpTests(FollowUpFixture service) : IClassFixture<FollowUpFixture>
{
    private const string Smuggling =
        "🚤 Boat to UK every week from Dunkirk, guaranteed arrival. Price 1500€ per person. Money stays with the guarantor until you arrive. WhatsApp +33 7 55 12 34 56";

    internal static async Task<string> ConfirmedReferralAsync(ApiClient admin, string platform, string url)
    {
        using var posted = await admin.PostJsonAsync("/api/reports", new { platform, url, text = Smuggling + " " + Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var itemId = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{itemId}"),
            i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the item to be classified");
        using var confirmed = await admin.PostJsonAsync($"/api/items/{itemId}/decision",
            new { decision = "confirm", category = "smuggling_service", reason = "Sells Channel crossings with a price and a guarantor." });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return (await ApiClient.ReadJsonAsync(confirmed))["referralId"]!.GetValue<string>();
    }

    private async Task SetWebhookAsync(ApiClient admin, string platform)
    {
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        service.Secrets[platform] = secret;
        using var put = await admin.Http.PutAsync($"/api/platforms/{platform}/delivery",
            new StringContent(ApiClient.Json(new { url = $"{service.FakeBase}/hooks/{platform}", secret }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain(secret, await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> ExportAsync(ApiClient client, string platform)
    {
        using var created = await client.Http.PostAsync($"/api/platforms/{platform}/exports", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await ApiClient.ReadJsonAsync(created))["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_batch_is_delivered_after_two_failed_attempts_signed_so_the_StandardWebhooks_library_verifies_it()
    {
        using var admin = service.Admin();
        await SetWebhookAsync(admin, "pushbook");
        await SetWebhookAsync(admin, "downbook");
        service.FailFirst["pushbook"] = 2;
        service.FailFirst["downbook"] = int.MaxValue;
        var referralId = await ConfirmedReferralAsync(admin, "pushbook", "https://pushbook.example/p/" + Guid.NewGuid().ToString("N"));
        await ConfirmedReferralAsync(admin, "downbook", "https://downbook.example/p/" + Guid.NewGuid().ToString("N"));
        await ExportAsync(admin, "downbook");
        var exportId = await ExportAsync(admin, "pushbook");

        var attempts = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync("/api/platforms/pushbook/deliveries"),
            d => d["items"]!.AsArray().Any(a => a!["status"]!.GetValue<string>() == "delivered"), TimeSpan.FromSeconds(60), "the batch to be delivered");

        var items = attempts["items"]!.AsArray().Reverse().ToList();
        Assert.Equal([1, 2, 3], items.Select(a => a!["attempt"]!.GetValue<int>()));
        Assert.Equal(["failed", "failed", "delivered"], items.Select(a => a!["status"]!.GetValue<string>()));
        Assert.Equal([500, 500, 200], items.Select(a => a!["httpStatus"]!.GetValue<int>()));
        Assert.All(items, a => Assert.Equal(exportId, a!["exportId"]!.GetValue<string>()));
        Assert.All(items, a => Assert.NotNull(a!["at"]));

        var received = service.Received.Where(r => r.Platform == "pushbook").ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(r.Verified, "the StandardWebhooks library refused a signature"));
        Assert.Single(received.Select(r => r.Id).Distinct()); // one webhook-id for every attempt of a delivery
        var batch = JsonNode.Parse(received[^1].Body)!;
        Assert.Equal(exportId, batch["id"]!.GetValue<string>());
        var notice = batch["notices"]!.AsArray().Single(n => n!["referralId"]!.GetValue<string>() == referralId)!;
        Assert.Equal("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", notice["dsaCategory"]!.GetValue<string>());
        Assert.Equal("KEYWORD_HUMAN_TRAFFICKING", notice["dsaCategorySpecification"]![0]!.GetValue<string>());

        // the platform that is down kept failing meanwhile, and never held the other back
        var down = await admin.GetJsonAsync("/api/platforms/downbook/deliveries");
        Assert.True(down["items"]!.AsArray().Count >= 2);
        Assert.All(down["items"]!.AsArray(), a => Assert.Equal("failed", a!["status"]!.GetValue<string>()));

        // a platform sees its own deliveries only
        using var other = service.Client(await admin.CreateKeyAsync("platform", "downbook"));
        using var denied = await other.Http.GetAsync("/api/platforms/pushbook/deliveries");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Setting_a_webhook_needs_an_admin_and_a_Standard_Webhooks_secret()
    {
        using var admin = service.Admin();
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));
        var body = new StringContent(ApiClient.Json(new { url = "https://hooks.example/x", secret = "whsec_" + Convert.ToBase64String(new byte[32]) }), System.Text.Encoding.UTF8, "application/json");
        using (var forbidden = await officer.Http.PutAsync("/api/platforms/x/delivery", body))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var bad = await admin.Http.PutAsync("/api/platforms/x/delivery",
            new StringContent(ApiClient.Json(new { url = "ftp://hooks.example/x", secret = "not-a-secret" }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await ApiClient.ReadJsonAsync(bad))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("url") && errors.ContainsKey("secret"));
    }

    [Fact]
    public async Task A_url_that_turns_404_is_observed_removed_and_counted_in_the_report()
    {
        using var admin = service.Admin();
        var ad = Guid.NewGuid().ToString("N");
        var referralId = await ConfirmedReferralAsync(admin, "checkbook", $"{service.FakeBase}/ads/{ad}");
        await ExportAsync(admin, "checkbook");

        var first = await CliProcess.RunAsync(service.DataDirectory, ["recheck"], service.CliEnvironment());
        Assert.True(first.Exit == 0, first.Err);
        var live = await admin.GetJsonAsync($"/api/referrals/{referralId}");
        Assert.True(live["observed"]!["state"]!.GetValue<string>() == "live", first.Out + live.ToJsonString());
        Assert.Equal(200, live["observed"]!["httpStatus"]!.GetValue<int>());
        Assert.Equal("exported", live["status"]!.GetValue<string>());

        service.AdStatus[ad] = 404;
        var second = await CliProcess.RunAsync(service.DataDirectory, ["recheck"], service.CliEnvironment());
        Assert.True(second.Exit == 0, second.Err);
        Assert.Equal("exported", (await admin.GetJsonAsync($"/api/referrals/{referralId}"))["status"]!.GetValue<string>()); // one gone is not enough
        var third = await CliProcess.RunAsync(service.DataDirectory, ["recheck"], service.CliEnvironment());
        Assert.True(third.Exit == 0, third.Err);
        Assert.Contains("marked removed (observed)", third.Out);

        var removed = await admin.GetJsonAsync($"/api/referrals/{referralId}");
        Assert.Equal("removed", removed["status"]!.GetValue<string>());
        Assert.Equal("observed", removed["source"]!.GetValue<string>());
        Assert.Equal("gone", removed["observed"]!["state"]!.GetValue<string>());
        Assert.Equal(404, removed["observed"]!["httpStatus"]!.GetValue<int>());

        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddDays(1).ToString("O");
        var report = await admin.GetJsonAsync($"/api/reports/transparency?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        var checkbook = report["platforms"]!.AsArray().Single(p => p!["platform"]!.GetValue<string>() == "checkbook")!;
        Assert.Equal(1, checkbook["noticesSent"]!.GetValue<int>());
        Assert.Equal(1, checkbook["removedObserved"]!.GetValue<int>());
        Assert.Equal(0, checkbook["removedReported"]!.GetValue<int>());
        Assert.Equal(1.0, checkbook["removalRateObserved"]!.GetValue<double>());
        Assert.NotNull(checkbook["medianHoursToRemoval"]);

        using var html = await admin.Http.GetAsync($"/api/reports/transparency?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&format=html");
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<svg class=\"chart hbar\"", page);
        Assert.Contains("checkbook", page);

        var csv = await CliProcess.RunAsync(service.DataDirectory, ["report", "--from", from, "--to", to, "--format", "csv"], service.CliEnvironment());
        Assert.True(csv.Exit == 0, csv.Err);
        Assert.Contains(csv.Out.Split('\n'), l => l.Contains(",checkbook,*,*,1,", StringComparison.Ordinal));

        // the platform's own report of the removal is recorded over the observation, not taken for a repeat
        using var platform = service.Client(await admin.CreateKeyAsync("platform", "checkbook"));
        using (var reported = await platform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "removed", note = "taken down by us" }))
        {
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
            var answer = await ApiClient.ReadJsonAsync(reported);
            Assert.Equal(("removed", "platform"), (answer["status"]!.GetValue<string>(), answer["source"]!.GetValue<string>()));
        }

        using (var again = await platform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "removed" }))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode); // now a repeat
        }

        using (var back = await platform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "received" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        }

        var reportedNow = await admin.GetJsonAsync($"/api/reports/transparency?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        var counted = reportedNow["platforms"]!.AsArray().Single(p => p!["platform"]!.GetValue<string>() == "checkbook")!;
        Assert.Equal((1, 0), (counted["removedReported"]!.GetValue<int>(), counted["removedObserved"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_overdue_referral_is_listed_and_reminded_through_the_webhook()
    {
        using var admin = service.Admin();
        await SetWebhookAsync(admin, "slowbook");
        var referralId = await ConfirmedReferralAsync(admin, "slowbook", "https://slowbook.example/p/" + Guid.NewGuid().ToString("N"));
        await ExportAsync(admin, "slowbook");

        // slowbook's service level is about a second
        var overdue = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync("/api/referrals/overdue?platform=slowbook"),
            o => o["items"]!.AsArray().Any(r => r!["referralId"]!.GetValue<string>() == referralId), TimeSpan.FromSeconds(30), "the referral to be overdue");
        var entry = overdue["items"]!.AsArray().Single(r => r!["referralId"]!.GetValue<string>() == referralId)!;
        Assert.True(entry["dueAt"]!.GetValue<DateTimeOffset>() < DateTimeOffset.UtcNow);
        using var platform = service.Client(await admin.CreateKeyAsync("platform", "slowbook"));
        Assert.Contains((await platform.GetJsonAsync("/api/referrals/overdue"))["items"]!.AsArray(), r => r!["referralId"]!.GetValue<string>() == referralId);
        Assert.DoesNotContain((await admin.GetJsonAsync("/api/referrals/overdue?platform=checkbook"))["items"]!.AsArray(), r => r!["referralId"]!.GetValue<string>() == referralId);

        Assert.True(await service.Services.GetRequiredService<OverdueService>().RemindAsync(CancellationToken.None) >= 1);
        var reminder = await ApiClient.EventuallyAsync(
            () => Task.FromResult(service.Received.FirstOrDefault(r => r.Platform == "slowbook" && r.Body.Contains("referrals.overdue", StringComparison.Ordinal))),
            r => r.Body is not null, TimeSpan.FromSeconds(30), "the reminder to reach the webhook");
        Assert.True(reminder.Verified);
        Assert.Contains(referralId, reminder.Body, StringComparison.Ordinal);
        Assert.Equal(0, await service.Services.GetRequiredService<OverdueService>().RemindAsync(CancellationToken.None)); // reminded once
    }

    [Fact]
    public async Task Statement_of_reasons_drafts_carry_the_Transparency_Database_field_names()
    {
        using var admin = service.Admin();
        var referralId = await ConfirmedReferralAsync(admin, "sorbook", "https://sorbook.example/p/" + Guid.NewGuid().ToString("N"));
        var exportId = await ExportAsync(admin, "sorbook");

        var sor = await admin.GetJsonAsync($"/api/platforms/sorbook/exports/{exportId}?format=sor");
        var draft = sor["statements"]!.AsArray().Single()!;
        Assert.Equal("contentwatch-" + referralId, draft["puid"]!.GetValue<string>());
        Assert.Equal("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", draft["category"]!.GetValue<string>());
        Assert.Equal("KEYWORD_HUMAN_TRAFFICKING", draft["category_specification"]![0]!.GetValue<string>());
        Assert.Equal("DECISION_GROUND_ILLEGAL_CONTENT", draft["decision_ground"]!.GetValue<string>());
        Assert.Equal("SOURCE_TRUSTED_FLAGGER", draft["source_type"]!.GetValue<string>());
        Assert.Equal("Yes", draft["automated_detection"]!.GetValue<string>());
        Assert.Equal("EN", draft["content_language"]!.GetValue<string>());
        Assert.Contains("Sells Channel crossings", draft["illegal_content_explanation"]!.GetValue<string>());

        var evidence = await admin.GetJsonAsync($"/api/referrals/{referralId}/evidence");
        var snapshot = evidence["snapshot"]!.GetValue<string>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(snapshot))), evidence["sha256"]!.GetValue<string>());
        Assert.Contains("sorbook.example", snapshot, StringComparison.Ordinal);
    }
}
