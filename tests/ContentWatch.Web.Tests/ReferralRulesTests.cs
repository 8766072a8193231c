using System.Net;

namespace ContentWatch.Web.Tests;

/// <summary>What a platform may report on a referral, and when; what a second confirm may change.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class ReferralRulesTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    /// <summary>A classified item confirmed by the admin; answers its id and the referral's.</summary>
    private async Task<(string Item, string Referral)> ConfirmedAsync(ApiClient admin, string category = "smuggling_service")
    {
        var tag = Guid.NewGuid().ToString("N");
        using var posted = await admin.PostJsonAsync("/api/reports", new { platform = "rules", url = $"https://rules.example/{tag}", text = $"Boat to UK tonight, 1500 euro {tag}" });
        var item = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{item}"), i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "classification");
        using var confirmed = await admin.PostJsonAsync($"/api/items/{item}/decision", new { decision = "confirm", category, reason = "Prices a crossing" });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return (item, (await ApiClient.ReadJsonAsync(confirmed))["referralId"]!.GetValue<string>());
    }

    private static async Task ExportAsync(ApiClient admin)
    {
        using var exported = await admin.Http.PostAsync("/api/platforms/rules/exports", null);
        Assert.Equal(HttpStatusCode.Created, exported.StatusCode);
    }

    [Fact]
    public async Task An_officer_key_cannot_post_a_referral_status()
    {
        using var admin = service.Admin();
        var (_, referral) = await ConfirmedAsync(admin);
        await ExportAsync(admin);
        using var officer = service.Client(await admin.CreateKeyAsync("officer"));
        using var response = await officer.PostJsonAsync($"/api/referrals/{referral}/status", new { status = "removed" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("exported", (await officer.GetJsonAsync($"/api/referrals/{referral}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_is_taken_only_after_export_and_only_forward()
    {
        using var admin = service.Admin();
        using var platform = service.Client(await admin.CreateKeyAsync("platform", "rules"));
        var (_, referral) = await ConfirmedAsync(admin);
        using (var early = await platform.PostJsonAsync($"/api/referrals/{referral}/status", new { status = "removed" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        Assert.Equal("pending", (await admin.GetJsonAsync($"/api/referrals/{referral}"))["status"]!.GetValue<string>());
        await ExportAsync(admin);
        foreach (var (status, expected) in new[] { ("received", HttpStatusCode.OK), ("removed", HttpStatusCode.OK), ("received", HttpStatusCode.Conflict), ("rejected", HttpStatusCode.Conflict), ("removed", HttpStatusCode.OK) })
        {
            using var response = await platform.PostJsonAsync($"/api/referrals/{referral}/status", new { status });
            Assert.True(expected == response.StatusCode, $"{status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("removed", (await admin.GetJsonAsync($"/api/referrals/{referral}"))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1999-01-01T00:00:00Z")]
    [InlineData("2000-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("+1h")]
    public async Task Status_time_must_lie_between_the_decision_and_now(string at)
    {
        using var admin = service.Admin();
        var (_, referral) = await ConfirmedAsync(admin);
        await ExportAsync(admin);
        var value = at == "+1h" ? DateTimeOffset.UtcNow.AddHours(1).ToString("O") : at;
        using var response = await admin.PostJsonAsync($"/api/referrals/{referral}/status", new { status = "removed", at = value });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey("at"));
        Assert.Equal("exported", (await admin.GetJsonAsync($"/api/referrals/{referral}"))["status"]!.GetValue<string>());
        using var now = await admin.PostJsonAsync($"/api/referrals/{referral}/status", new { status = "removed", at = DateTimeOffset.UtcNow.ToString("O") });
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
    }

    [Fact]
    public async Task A_second_confirm_with_another_category_is_409_and_the_referral_keeps_its_category()
    {
        using var admin = service.Admin();
        var (item, referral) = await ConfirmedAsync(admin);
        using var other = await admin.PostJsonAsync($"/api/items/{item}/decision", new { decision = "confirm", category = "document_fraud", reason = "On second thought" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("smuggling_service", (await admin.GetJsonAsync($"/api/referrals/{referral}"))["category"]!.GetValue<string>());
        Assert.Single((await admin.GetJsonAsync($"/api/items/{item}/audit"))["items"]!.AsArray());
        using var same = await admin.PostJsonAsync($"/api/items/{item}/decision", new { decision = "confirm", category = "smuggling_service", reason = "Again" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(referral, (await ApiClient.ReadJsonAsync(same))["referralId"]!.GetValue<string>());
    }
}
