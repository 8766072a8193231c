using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ContentWatch.Web.Desk;
using ContentWatch.Web.Desk.Pages;

namespace ContentWatch.Desk.Tests;

/// <summary>The review desk in Debian's Chromium, against the real service.</summary>
[Collection(DeskCollection.Name)]
public sealed class DeskBrowserTests(DeskFixture desk)
{
    [Fact]
    public async Task SignIn_ThenFilterTheQueue_ShowsOnlyMatchingItems()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        Assert.True(await page.Locator("tr[data-row]").CountAsync() >= 5);
        await DeskFixture.ScreenshotAsync(page, "desk-queue");

        await page.GetByLabel("Platform").FillAsync("rtl.example");
        await page.GetByLabel("Score from").FillAsync("0.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("platform=rtl.example"));
        var rows = page.Locator("tr[data-row]");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("إيطاليا", await rows.First.InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Label").SelectOptionAsync("document_fraud");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("label=document_fraud"));
        Assert.Equal(0, await page.Locator("tr[data-row]").CountAsync());
        Assert.Contains("Nothing waiting", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmWithTheKeyboard_OpensTheNextItem_AndTheReferralAppearsForItsPlatform()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/queue?platform=kbd.example"));
        Assert.Equal(2, await page.Locator("tr[data-row]").CountAsync());
        var firstText = await page.Locator("tr[data-row] .item-link").First.InnerTextAsync();
        var secondText = await page.Locator("tr[data-row] .item-link").Nth(1).InnerTextAsync();

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/desk/items/[0-9a-f]{32}\\?platform=kbd.example&pos=0$"));
        var firstUrl = page.Url;
        Assert.Equal(firstText.Trim(), (await page.Locator("#reported-text").InnerTextAsync()).Trim());
        var firstLink = await page.Locator("dd .url").First.InnerTextAsync();

        await PressUntilUrlAsync(page, "j", new Regex("pos=1$"));
        await PressUntilUrlAsync(page, "k", new Regex("pos=0$"));

        await page.Keyboard.PressAsync("c");
        Assert.Equal("confirm-reason", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.InsertTextAsync("Sells a job abroad for a fee, with a contact number.");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => url.Contains("done=confirm", StringComparison.Ordinal));
        Assert.NotEqual(firstUrl, page.Url);
        Assert.Equal(secondText.Trim(), (await page.Locator("#reported-text").InnerTextAsync()).Trim());
        Assert.Contains("Decision recorded", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(firstUrl.Split('?')[0]);
        var history = await page.Locator(".audit").InnerTextAsync();
        Assert.Contains("confirm", history, StringComparison.Ordinal);
        Assert.Contains("user:" + DeskFixture.Officer, history, StringComparison.Ordinal);
        Assert.Contains("Sells a job abroad", history, StringComparison.Ordinal);

        var supervisor = await desk.SignInAsync(DeskFixture.Supervisor);
        await supervisor.GotoAsync(desk.Url("/desk/referrals?platform=kbd.example"));
        var referrals = supervisor.Locator("table.referrals tbody tr");
        Assert.Equal(1, await referrals.CountAsync());
        Assert.Contains(firstLink, await referrals.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("pending", await referrals.First.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileReport_IsShownAsText_AndNothingRuns()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        var dialogs = new List<string>();
        var console = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        page.Console += (_, message) => console.Add(message.Text);

        await page.GotoAsync(desk.Url("/desk/queue?platform=xss.example"));
        Assert.Contains("<script>", await page.Locator("tr[data-row] .item-link").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("tr[data-row] .item-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/items/"));
        await page.Locator("#reported-text").WaitForAsync();

        var text = await page.Locator("#reported-text").InnerTextAsync();
        Assert.Contains(DeskFixture.XssPayloads, text, StringComparison.Ordinal);
        Assert.Equal(DeskFixture.XssTitle, await page.Locator(".item-title").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#reported-text *:not(mark):not(mark > bdi), .item-title *").CountAsync());
        Assert.Equal(0, await page.Locator("a[href^='javascript:' i], iframe, main img, main script").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__xss"));
        Assert.Empty(dialogs);
        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("xss", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ArabicItem_RendersRightToLeft()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/queue?platform=rtl.example"));
        Assert.Equal("rtl", await page.Locator("tr[data-row] .item-link span[dir=auto]").EvaluateAsync<string>("e => getComputedStyle(e).direction"));

        await page.Locator("tr[data-row] .item-link").ClickAsync();
        var text = page.Locator("#reported-text");
        await text.WaitForAsync();

        Assert.Equal("rtl", await text.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.Equal(DeskFixture.ArabicText, await text.InnerTextAsync());
    }

    [Fact]
    public async Task PhoneNumberInArabicText_IsIsolated_AndReadsLeftToRight()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/queue?platform=rtl.example"));
        await page.Locator("tr[data-row] .item-link").ClickAsync();

        var phone = page.Locator("#reported-text mark bdi[dir=ltr]");
        Assert.Equal(DeskFixture.ArabicPhone, await phone.InnerTextAsync());
        Assert.Equal("ltr", await phone.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        // laid out left to right: "+218" is drawn left of "5678"
        var order = await phone.EvaluateAsync<double[]>("""
            e => { const r = document.createRange(), t = e.firstChild, at = i => { r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
                   return [at(0), at(t.length - 1)]; }
            """);
        Assert.True(order[0] < order[1], $"the first character is drawn at {order[0]}, the last at {order[1]}");
        await DeskFixture.ScreenshotAsync(page, "desk-item-rtl");
    }

    [Fact]
    public async Task DismissedItems_HaveAList_AndTheirPageNeitherSaysFlaggedNorPicksACategory()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GetByRole(AriaRole.Link, new() { Name = "Dismissed" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/dismissed$"));
        var rows = page.Locator("tr[data-row]");
        Assert.True(await rows.CountAsync() >= 1);

        await rows.First.Locator(".item-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/items/"));
        var main = await page.Locator("main").InnerTextAsync();
        Assert.Contains("dismissed", await page.Locator("h1 .status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Why it was flagged", main, StringComparison.Ordinal);
        Assert.Contains("Why it was dismissed", main, StringComparison.Ordinal);
        Assert.Equal("", await page.Locator("#confirm-category").InputValueAsync());
        Assert.True(await page.Locator("#confirm-category").EvaluateAsync<bool>("e => e.required"));
    }

    [Fact]
    public async Task ReferralsPage_BatchIsADownloadLink_ThatStaysInItsColumn()
    {
        var page = await desk.SignInAsync(DeskFixture.Supervisor);
        await page.GotoAsync(desk.Url("/desk/referrals?platform=olx"));
        var link = page.Locator("td.batch a").First;
        var section = page.Locator("section[aria-labelledby=batches-title]");

        var (linkBox, sectionBox) = (await link.BoundingBoxAsync(), await section.BoundingBoxAsync());
        Assert.True(linkBox!.X + linkBox.Width <= sectionBox!.X + sectionBox.Width, $"the batch link ends at {linkBox.X + linkBox.Width}, its column at {sectionBox.X + sectionBox.Width}");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Matches("^contentwatch-olx-[0-9a-f]{32}\\.csv$", download.SuggestedFilename);
        Assert.StartsWith("exportId,platform,referralId", await File.ReadAllTextAsync((await download.PathAsync())!), StringComparison.Ordinal);

        var officer = await desk.SignInAsync(DeskFixture.Officer);
        var refused = await officer.Context.APIRequest.GetAsync(desk.Url((await link.GetAttributeAsync("href"))!), new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refused.Status);
    }

    [Fact]
    public async Task Evidence_IsMarkedInTheText()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/items/" + desk.EvidenceItemId));

        var marks = page.Locator("#reported-text mark");
        Assert.Equal(["boat", "1800 euro", "+90 555 123 4567"], await marks.AllInnerTextsAsync());
        Assert.Equal("phone_number", await marks.Nth(2).GetAttributeAsync("title"));
        Assert.Equal(DeskFixture.EvidenceText, await page.Locator("#reported-text").InnerTextAsync());
        Assert.Contains("phone_number, price, messaging_app", await page.Locator(".evidence").InnerTextAsync(), StringComparison.Ordinal);
        await DeskFixture.ScreenshotAsync(page, "desk-item");
    }

    [Fact]
    public async Task EvidenceWithoutPositions_MarksTheTermsWhereTheyOccur()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        await page.GotoAsync(desk.Url("/desk/queue?platform=terms.example"));
        await page.Locator("tr[data-row] .item-link").ClickAsync();
        await page.Locator("#reported-text").WaitForAsync();

        Assert.Equal(["Boat", "boat", "euro"], await page.Locator("#reported-text mark").AllInnerTextsAsync());
        Assert.Contains("marked wherever they occur", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedFailedSignIns_LockTheAccount_EvenForTheRightPassword()
    {
        var page = await desk.NewPageAsync();
        await page.GotoAsync(desk.Url("/desk/sign-in"));
        for (var i = 1; i <= 5; i++)
        {
            await page.GetByLabel("User name").FillAsync(DeskFixture.LockedOutUser);
            await page.GetByLabel("Password").FillAsync("wrong-password-" + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Locator("[role=alert]").WaitForAsync();
            var message = await page.Locator("[role=alert]").InnerTextAsync();
            Assert.Contains(i < 5 ? "wrong" : "locked", message, StringComparison.Ordinal);
        }

        await page.GetByLabel("User name").FillAsync(DeskFixture.LockedOutUser);
        await page.GetByLabel("Password").FillAsync(DeskFixture.Password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/desk/sign-in", StringComparison.Ordinal));

        Assert.Equal(401, response.Status);
        Assert.Contains("locked", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/desk/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPostsWithoutTheAntiforgeryToken_AreRefused()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        var request = page.Context.APIRequest;
        var form = request.CreateFormData();
        form.Set("decision", "confirm");
        form.Set("category", "smuggling_service");
        form.Set("reason", "forged request");

        var decision = await request.PostAsync(desk.Url("/desk/items/" + desk.EvidenceItemId), new() { Form = form, MaxRedirects = 0 });
        var signIn = await request.PostAsync(desk.Url("/desk/sign-in"), new() { Form = SignInForm(request), MaxRedirects = 0 });

        Assert.Equal(400, decision.Status);
        Assert.Equal(400, signIn.Status);
        await page.GotoAsync(desk.Url("/desk/items/" + desk.EvidenceItemId));
        Assert.Equal(0, await page.Locator(".audit li").CountAsync());
    }

    private static IFormData SignInForm(IAPIRequestContext request)
    {
        var form = request.CreateFormData();
        form.Set("username", DeskFixture.Officer);
        form.Set("password", DeskFixture.Password);
        return form;
    }

    [Fact]
    public async Task DeskPages_CarryTheContentSecurityPolicy()
    {
        var page = await desk.NewPageAsync();
        foreach (var path in new[] { "/desk/sign-in", "/desk/assets/desk.js" })
        {
            var response = await page.GotoAsync(desk.Url(path));
            var headers = await response!.AllHeadersAsync();
            Assert.Equal(DeskRegistration.ContentSecurityPolicy, headers["content-security-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
        }

        var signedIn = await desk.SignInAsync(DeskFixture.Officer);
        var queue = await signedIn.GotoAsync(desk.Url("/desk/queue"));
        Assert.Equal(DeskRegistration.ContentSecurityPolicy, (await queue!.AllHeadersAsync())["content-security-policy"]);
        var cookie = Assert.Single(await signedIn.Context.CookiesAsync(), c => c.Name == DeskAccess.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
    }

    [Fact]
    public async Task Dashboard_DrawsChartsForSupervisors_AndIsRefusedToOfficers()
    {
        var officer = await desk.SignInAsync(DeskFixture.Officer);
        var refused = await officer.GotoAsync(desk.Url("/desk/dashboard"));
        Assert.Equal(403, refused!.Status);
        Assert.Equal(0, await officer.Locator("nav a[href='/desk/dashboard']").CountAsync());

        var page = await desk.SignInAsync(DeskFixture.Supervisor);
        await page.GotoAsync(desk.Url("/desk/dashboard"));

        Assert.Equal(5, await page.Locator("svg.chart[role=img]").CountAsync());
        foreach (var svg in await page.Locator("svg.chart").AllAsync())
        {
            Assert.False(string.IsNullOrWhiteSpace(await svg.GetAttributeAsync("aria-label")));
        }

        // the flagged chart has a bar on every day with history, not one bar for today
        Assert.Equal(desk.DecisionDays.Count, await page.Locator("svg.chart").First.Locator("rect").CountAsync());
        Assert.Matches(new Regex(@"^\d+(\.\d)?%$"), (await page.Locator("[data-figure=precision]").InnerTextAsync()).Trim());

        var precision = page.Locator("svg.precision");
        Assert.StartsWith($"Model precision per day over {DashboardModel.Days} days: {desk.DecisionDays.Count} days with decisions", await precision.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.Equal(desk.DecisionDays.Count, await precision.Locator("circle").CountAsync());
        Assert.Equal(desk.DecisionDays.Count, await precision.Locator("text.count").CountAsync());

        var platformRows = await page.Locator("table.platforms tbody tr").CountAsync();
        var rates = page.Locator("svg.hbar").Nth(0);
        var times = page.Locator("svg.hbar").Nth(1);
        Assert.StartsWith("Removal rate per platform: ", await rates.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.StartsWith("Median time to removal per platform: ", await times.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.Equal(platformRows, await rates.Locator("g.row").CountAsync());
        Assert.Equal(platformRows, await times.Locator("g.row").CountAsync());
        // a bar for every platform with a median time to removal in the table
        var medians = await page.Locator("table.platforms tbody tr td:last-child").AllInnerTextsAsync();
        Assert.Equal(medians.Count(m => m.Trim() != "–"), await times.Locator("rect").CountAsync());
        Assert.True(await times.Locator("rect").CountAsync() >= 3);
        Assert.Contains("telegram: no removals", await times.InnerHTMLAsync(), StringComparison.Ordinal);
        Assert.Contains("olx", await page.Locator("table.platforms").InnerTextAsync(), StringComparison.Ordinal);
        await DeskFixture.ScreenshotAsync(page, "desk-dashboard", fullPage: true);
    }

    [Fact]
    public async Task HangfireDashboard_AcceptsASignedInAdmin_ButNotAnOfficer()
    {
        var admin = await desk.SignInAsync(DeskFixture.Admin);
        var officer = await desk.SignInAsync(DeskFixture.Officer);

        // the dashboard keeps polling, so wait for the answer only, not for the page to settle
        var commit = new PageGotoOptions { WaitUntil = WaitUntilState.Commit };
        Assert.Equal(200, (await admin.GotoAsync(desk.Url("/hangfire"), commit))!.Status);
        Assert.Equal(401, (await officer.GotoAsync(desk.Url("/hangfire"), commit))!.Status);
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/desk/sign-in", StringComparison.Ordinal));
        await page.GotoAsync(desk.Url("/desk/queue"));

        Assert.Contains("/desk/sign-in?returnUrl=", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionMark_ShowsTheShortcutHelp_AndEscapeClosesIt()
    {
        var page = await desk.SignInAsync(DeskFixture.Officer);
        var help = page.Locator("#help");
        Assert.False(await help.IsVisibleAsync());

        await page.Keyboard.PressAsync("?");
        Assert.True(await help.IsVisibleAsync());
        Assert.Contains("next item", await help.InnerTextAsync(), StringComparison.Ordinal);

        await page.Keyboard.PressAsync("Escape");
        Assert.False(await help.IsVisibleAsync());
    }

    [Theory]
    [InlineData("/desk/queue")]
    [InlineData("/desk/items/{evidence}")]
    [InlineData("/desk/dashboard")]
    [InlineData("/desk/referrals")]
    [InlineData("/desk/dismissed")]
    public async Task Pages_LabelEveryControl_ShowFocus_AndKeepTextContrast(string path)
    {
        var page = await desk.SignInAsync(DeskFixture.Supervisor);
        await page.GotoAsync(desk.Url(path.Replace("{evidence}", desk.EvidenceItemId, StringComparison.Ordinal)));

        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                .map(e => e.outerHTML)
            """);
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => Array.from(document.querySelectorAll('button, a[href]'))
                .filter(e => !e.textContent.trim() && !e.getAttribute('aria-label'))
                .map(e => e.outerHTML)
            """);
        var positiveTabIndex = await page.Locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").CountAsync();
        Assert.Empty(unlabelled);
        Assert.Empty(unnamed);
        Assert.Equal(0, positiveTabIndex);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle"));

        var low = await page.EvaluateAsync<string[]>(ContrastScript);
        Assert.Empty(low);
    }

    /// <summary>WCAG 2 contrast of every visible text element against its first opaque background; lists those under 4.5:1.</summary>
    private const string ContrastScript = """
        () => {
            const parse = c => { const p = c.match(/[\d.]+/g).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
            const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            const luminance = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
            const background = e => {
                for (; e; e = e.parentElement) {
                    const c = parse(getComputedStyle(e).backgroundColor);
                    if (c.a > 0.5) return c;
                }
                return { r: 255, g: 255, b: 255, a: 1 };
            };
            const texts = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.offsetParent !== null && !(e instanceof SVGElement)
                    && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
            return texts.map(e => {
                const a = luminance(parse(getComputedStyle(e).color)), b = luminance(background(e));
                const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                return ratio < 4.5 ? `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}` : null;
            }).filter(x => x);
        }
        """;

    /// <summary>
    /// Presses <paramref name="key"/> until the page has navigated to <paramref name="url"/>: on a loaded CI machine a key
    /// pressed in the instant after a navigation can land before the page's script listens, and is then lost.
    /// </summary>
    private static async Task PressUntilUrlAsync(IPage page, string key, Regex url)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Keyboard.PressAsync(key);
            try
            {
                await page.WaitForURLAsync(url, new() { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
