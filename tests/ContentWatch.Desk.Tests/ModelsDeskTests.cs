using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Models;

namespace ContentWatch.Desk.Tests;

/// <summary>
/// The learning loop in the desk, in Chromium: the admins' Models page (the registry, shadow, the shadow report,
/// activation through the gate's confirmation page, rollback), the item page's shadow score, and the dashboard's model
/// charts; refused to officers.
/// </summary>
[Collection(DeskCollection.Name)]
public sealed class ModelsDeskTests(DeskFixture desk)
{
    private const string Copy = "cw-desk-copy-1";

    /// <summary>The shipped model file under another version: the same weights, so the same figures.</summary>
    private static async Task<byte[]> ShippedCopyAsync(string version)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-desk-model-{Guid.NewGuid():N}.zip");
        File.Copy(RepoPaths.Model, path);
        try
        {
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry("metadata.json")!;
                JsonNode metadata;
                using (var stream = entry.Open())
                {
                    metadata = JsonNode.Parse(stream)!;
                }

                metadata["model_version"] = version;
                entry.Delete();
                await using var writer = new StreamWriter(zip.CreateEntry("metadata.json").Open());
                await writer.WriteAsync(metadata.ToJsonString());
            }

            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Admin_ShadowsAModel_ReadsItsReport_SeesTheShadowScore_ActivatesThroughTheGate_AndRollsBack()
    {
        var registry = desk.Services.GetRequiredService<ModelRegistry>();
        var shipped = (await desk.Services.GetRequiredService<IModelStore>().GetLiveAsync(CancellationToken.None)).ActiveId!;
        await registry.ImportAsync(await ShippedCopyAsync(Copy), "test", CancellationToken.None);

        var officer = await desk.SignInAsync(DeskFixture.Officer);
        Assert.Equal(403, (await officer.GotoAsync(desk.Url("/desk/models")))!.Status);
        Assert.Equal(0, await officer.Locator("nav a[href='/desk/models']").CountAsync());

        var page = await desk.SignInAsync(DeskFixture.Admin);
        await page.Locator("nav a[href='/desk/models']").ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/models$"));
        var active = page.Locator($"tr[data-model='{shipped}']");
        Assert.Contains("active", await active.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches(new Regex(@"0\.\d{3}"), await active.Locator("td.num").First.InnerTextAsync()); // golden F1

        await page.GetByRole(AriaRole.Button, new() { Name = "Shadow " + Copy }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=shadow$"));
        Assert.Contains("shadow", await page.Locator($"tr[data-model='{Copy}']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(Copy, await page.Locator("section[aria-labelledby=shadow-title]").InnerTextAsync(), StringComparison.Ordinal);

        var stored = await desk.Services.GetRequiredService<IntakeService>().StoreAsync(
            [new ReportInput("models.example", $"https://models.example/p/{Guid.NewGuid():N}", "Boat from Sfax to Lampedusa on Friday, 1500 dinar, pay the office, WhatsApp +216 20 111 222", ItemKinds.Post)],
            "api", null, CancellationToken.None);
        var itemId = stored[0].ItemId;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await desk.Services.GetRequiredService<IModelStore>().GetShadowVerdictAsync(itemId, CancellationToken.None) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the shadow model did not score the new item within 60 s");
            await Task.Delay(100);
        }

        await page.GotoAsync(desk.Url("/desk/items/" + itemId));
        var shadowScore = await page.Locator("h1 .shadow-score").InnerTextAsync();
        Assert.Matches(new Regex(@"^shadow \w+ \d\.\d\d$"), shadowScore.Trim());
        Assert.Contains(Copy, await page.Locator(".shadow-verdict").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(desk.Url("/desk/models"));
        Assert.NotEqual("0", (await page.Locator("[data-figure=compared]").InnerTextAsync()).Trim());
        Assert.Equal("100.0%", (await page.Locator("[data-figure=agreement]").InnerTextAsync()).Trim()); // the same weights agree everywhere
        await DeskFixture.ScreenshotAsync(page, "desk-models", fullPage: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Activate " + Copy }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/desk/models/{Copy}/activate$"));
        Assert.Contains("900 items", await page.Locator("table.gate[data-set=golden] caption").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-gate=passes]").CountAsync());
        await DeskFixture.ScreenshotAsync(page, "desk-model-activate", fullPage: true);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate " + Copy }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=activated$"));
        Assert.Contains("active", await page.Locator($"tr[data-model='{Copy}']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("retired", await page.Locator($"tr[data-model='{shipped}']").InnerTextAsync(), StringComparison.Ordinal);

        // rolling back is activating the previous model, through the same confirmation
        await page.GetByRole(AriaRole.Link, new() { Name = "Activate " + shipped }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate " + shipped }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=activated$"));
        Assert.Equal(shipped, (await desk.Services.GetRequiredService<IModelStore>().GetLiveAsync(CancellationToken.None)).ActiveId);
        var events = await desk.Services.GetRequiredService<IModelStore>().GetEventsAsync(Copy, CancellationToken.None);
        Assert.Equal([ModelStatus.Candidate, ModelStatus.Shadow, ModelStatus.Active, ModelStatus.Retired], events.Select(e => e.ToStatus));
        Assert.Equal("user:" + DeskFixture.Admin, events[2].Actor);

        await page.GotoAsync(desk.Url("/desk/models/" + Uri.EscapeDataString("cw-<script>") + "/activate"));
        Assert.Null(await page.EvaluateAsync<string?>("() => window.__xss ?? null"));
    }

    [Fact]
    public async Task Dashboard_ShowsTheScoreDistribution_AndPrecisionPerModelVersion()
    {
        var page = await desk.SignInAsync(DeskFixture.Supervisor);
        await page.GotoAsync(desk.Url("/desk/dashboard"));

        var section = page.Locator("section[aria-labelledby=models-title]");
        var scores = section.Locator("svg.hbar").Nth(0);
        Assert.StartsWith("Verdict scores of items classified: 0.0–0.1 ", await scores.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.Equal(10, await scores.Locator("g.row").CountAsync());
        var precision = section.Locator("svg.hbar").Nth(1);
        Assert.StartsWith("Officer-measured precision per model version: ", await precision.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.Contains("cw-desk-test", await precision.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
    }
}
