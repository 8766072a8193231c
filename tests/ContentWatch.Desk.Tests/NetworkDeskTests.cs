using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;

namespace ContentWatch.Desk.Tests;

/// <summary>The desk's network views in Chromium: watchlist evidence on an item, the cluster page and its decision, the watchlist page.</summary>
[Collection(DeskCollection.Name)]
public sealed class NetworkDeskTests(DeskFixture desk)
{
    private const string Platform = "network.example";
    private const string Copy = "Fast crossing to Italy from Zuwara, life jackets, captain with experience, pay after arrival. Only {0} per person, call {1}";

    private async Task<List<string>> StoreAndClassifyAsync(params string[] texts)
    {
        var stored = await desk.Services.GetRequiredService<IntakeService>().StoreAsync(
            [.. texts.Select(t => new ReportInput(Platform, $"https://{Platform}/p/{Guid.NewGuid():N}", t, ItemKinds.Post, Language: "en"))], "api", null, CancellationToken.None);
        var classification = desk.Services.GetRequiredService<IClassificationStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await classification.CountPendingAsync(CancellationToken.None) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return [.. stored.Select(s => s.ItemId)];
    }

    [Fact]
    public async Task WatchlistHit_ClusterPage_ClusterDecision_AndTheWatchlistPage()
    {
        var review = desk.Services.GetRequiredService<ReviewService>();
        var forger = (await StoreAndClassifyAsync("Passports and visas, registered, delivery in 5 days. Telegram @net_boss_desk"))[0];
        await review.DecideAsync(forger, new DecisionRequest(Decisions.Confirm, Labels.DocumentFraud, "Sells forged passports."), "user:" + DeskFixture.Supervisor, CancellationToken.None);
        var later = await StoreAndClassifyAsync("Lovely lemon cake recipe, ask me on telegram @Net_Boss_Desk for the secret");
        var copies = await StoreAndClassifyAsync(
            string.Format(null, Copy, "1200€", "+218 91 234 5678"), string.Format(null, Copy, "1500€", "+216 20 123 456"), string.Format(null, Copy, "900€", "+39 312 345 6789"));

        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/items/" + later[0]));
        var network = page.Locator("section[aria-labelledby=network-title]");
        Assert.Contains("Watchlist", await network.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("net_boss_desk", await network.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("/desk/items/" + forger, await network.Locator($"a[href='/desk/items/{forger}']").GetAttributeAsync("href"));
        Assert.Equal("in_review", await page.Locator(".status").InnerTextAsync());

        await page.GotoAsync(desk.Url("/desk/items/" + copies[0]));
        await page.GetByRole(AriaRole.Link, new() { Name = "3 near-duplicates" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/clusters/[0-9a-f]{32}$"));
        var template = await page.Locator("[aria-label=Template]").InnerTextAsync();
        Assert.Contains("Fast crossing to Italy from Zuwara", template, StringComparison.Ordinal);
        Assert.Contains("{price1}", template, StringComparison.Ordinal);
        Assert.Contains("{phone1}", template, StringComparison.Ordinal);
        await DeskFixture.ScreenshotAsync(page, "desk-cluster", fullPage: true);

        await page.GetByLabel("Reason (goes into every notice)").FillAsync("The same Zuwara crossing, posted three times.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and refer all" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("decided=3$"));
        Assert.Contains("Decision recorded for 3 item(s)", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Every member has been decided", await page.Locator("aside").InnerTextAsync(), StringComparison.Ordinal);
        foreach (var id in copies)
        {
            Assert.Equal(ItemStatus.Confirmed, (await desk.Services.GetRequiredService<IReviewStore>().GetItemAsync(id, CancellationToken.None))!.Status);
        }

        await page.GotoAsync(desk.Url("/desk/watchlist"));
        Assert.Contains("net_boss_desk", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Type").SelectOptionAsync("email");
        await page.GetByLabel("Value").FillAsync("Boss@Forgery.example.com");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("<img src=x onerror=\"window.__xss='watchlist'\">");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=added$"));
        var row = page.Locator("tr", new() { HasText = "boss@forgery.example.com" });
        Assert.Contains("<img src=x", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));

        await row.GetByPlaceholder("reason").FillAsync("Mailbox closed");
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=removed$"));
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "boss@forgery.example.com" }).CountAsync());
    }
}
