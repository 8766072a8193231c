using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ContentWatch.Core.Access;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;
using ContentWatch.Storage;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Desk.Tests;

[CollectionDefinition(Name)]
public sealed class DeskCollection : ICollectionFixture<DeskFixture>
{
    public const string Name = "desk";
}

/// <summary>
/// The real service (Kestrel on a loopback port, SQLite in a temp folder, in-process Hangfire, the shipped model) with
/// desk accounts and reports taken through intake and classified by the model, and Debian's Chromium driven by
/// Playwright. Chromium must be installed (<c>apt-get install chromium</c>); Playwright never downloads a browser here.
/// </summary>
public sealed class DeskFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "desk-password-123";
    public const string Officer = "olga";
    public const string Supervisor = "sam";
    public const string Admin = "ada";
    public const string LockedOutUser = "lock-me";
    public const string AdminKey = "cw_desk_test_admin_key_0123456789";

    public const string XssTitle = "Boat <img src=x onerror=\"window.__xss='title'\">";

    /// <summary>Payloads in the reported text; each sets <c>window.__xss</c> or calls <c>alert</c> if it ever runs.</summary>
    public const string XssPayloads =
        "<script>window.__xss = 1; alert('script')</script> <img src=x onerror=\"window.__xss = 2; alert('img')\"> " +
        "<a href=\"javascript:window.__xss = 3\">details</a> <svg onload=\"window.__xss = 4; alert('svg')\"></svg> " +
        "<iframe srcdoc=\"<script>parent.__xss = 5</script>\"></iframe>";

    public const string ArabicPhone = "+218 91 234 5678";

    public const string ArabicText = "رحلة إلى إيطاليا بالقارب هذا الأسبوع من الشاطئ. السعر 3000 يورو للشخص، الدفع عند الوصول. مكان مضمون، اتصل واتساب +218 91 234 5678";

    /// <summary>Marked by the evidence spans of <see cref="EvidenceItemId"/>.</summary>
    public const string EvidenceText = "Crossing to Italy this week, safe boat. 1800 euro per person. WhatsApp +90 555 123 4567 for a place.";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "contentwatch-desk-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public string EvidenceItemId { get; private set; } = "";

    /// <summary>The UTC days (<c>yyyy-MM-dd</c>) on which officers decided flagged items: the past ones and today.</summary>
    public IReadOnlySet<string> DecisionDays => _decisionDays;

    private readonly HashSet<string> _decisionDays = [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The desk's browser tests drive Debian's Chromium at {ChromiumPath}, which is missing: run 'apt-get install -y chromium' (.ci/run does).");
        }

        Directory.CreateDirectory(DataDirectory);
        _app = ContentWatchApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Storage:DataDirectory=" + DataDirectory,
            "--Classification:ModelPath=" + RepoPaths.Model,
            "--Classification:ReviewThreshold=0.5",
            "--Export:NotifierName=Test Referral Unit",
            "--Export:NotifierEmail=referrals@unit.example.org",
            "--Export:Cron=0 0 1 1 *",
            "--Workers:WorkerCount=2",
            "--Workers:SweepCron=0 0 1 1 *",
            // every test signs in from 127.0.0.1; DeskSessionTests check the per-address limit
            "--Desk:SignInsPerAddressPerMinute=1000",
            "--CONTENTWATCH_BOOTSTRAP_ADMIN_KEY=" + AdminKey,
            "--Logging:LogLevel:Default=Warning",
        ]);
        await ContentWatchApp.PrepareAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await SeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context signed in as <paramref name="username"/>, on the queue page.</summary>
    public async Task<IPage> SignInAsync(string username)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("/desk/sign-in"));
        await page.GetByLabel("User name").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/desk/queue", StringComparison.Ordinal));
        return page;
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 860 }, Locale = "en-GB" });
        // The test command runs the test projects side by side on two cores (load average up to 10 here): a page load
        // beside them has taken over Playwright's default 30 s. A longer wait changes no assertion, only how long a
        // real failure takes to show.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.Screenshots, name + ".png"), FullPage = fullPage });
    }

    private async Task SeedAsync()
    {
        // Generous: CI runs the test projects side by side on two cores. Twice the 5 reports below were still pending
        // after 2 minutes: this host and DeskHttpsFixture's, started side by side, could share Hangfire's process-wide
        // storage and job activator (fixed in JobsRegistration). A timeout now says what the workers did.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = timeout.Token;
        var users = Services.GetRequiredService<UserService>();
        await users.CreateAsync(Officer, Roles.Officer, Password, ct);
        await users.CreateAsync(Supervisor, Roles.Supervisor, Password, ct);
        await users.CreateAsync(Admin, Roles.Admin, Password, ct);
        await users.CreateAsync(LockedOutUser, Roles.Officer, Password, ct);

        // The items the tests rely on are stored and given verdicts directly (the workers' sweep is off and nothing
        // enqueues them), so what they are checked against does not hang on the model.
        var phone = EvidenceText.IndexOf("+90", StringComparison.Ordinal);
        var price = EvidenceText.IndexOf("1800 euro", StringComparison.Ordinal);
        var boat = EvidenceText.IndexOf("boat", StringComparison.Ordinal);
        var evidence = new Evidence(
            ["phone_number", "price", "messaging_app"],
            [new EvidenceTerm("boat", 0.42), new EvidenceTerm("per person", 0.31)],
            [new EvidenceSpan(phone, "+90 555 123 4567".Length, "phone_number"), new EvidenceSpan(price, "1800 euro".Length, "price"), new EvidenceSpan(boat, 4, "boat")]);
        (ReportInput Report, string Label, double Score, Evidence? Evidence)[] known =
        [
            (Report("evidence.example", 1, EvidenceText), Labels.SmugglingService, 0.97, evidence),
            (Report("terms.example", 1, "Boat leaves Friday. Places on the boat are limited, 1500 euro each."), Labels.SmugglingService, 0.84,
                new Evidence(["price"], [new EvidenceTerm("boat", 0.5), new EvidenceTerm("euro", 0.2)], [])),
            (Report("xss.example", 1, "UK this week, good boat, new engine, life jackets. 1,800 GBP per person. WhatsApp +44 7700 900412 " + XssPayloads, XssTitle), Labels.SmugglingService, 0.81, null),
            (Report("rtl.example", 1, ArabicText) with { Language = "ar" }, Labels.SmugglingService, 0.93,
                new Evidence(["phone_number"], [], [new EvidenceSpan(ArabicText.IndexOf("+218", StringComparison.Ordinal), ArabicPhone.Length, "phone_number")])),
            (Report("kbd.example", 1, "URGENT HIRING farm workers for the UK. Salary 3,500 GBP a month, free accommodation, visa guaranteed. Processing fee only 450 GBP. Send a passport copy to WhatsApp +44 7700 900 904 today.", kind: ItemKinds.JobAd), Labels.FakeJobOffer, 0.9, null),
            (Report("kbd.example", 2, "Buy real registered passports online: UK, USA, Canada, EU. Registered in the database, pass every airport scanner. Bitcoin accepted. WhatsApp +44 7700 900 118"), Labels.DocumentFraud, 0.88, null),
            (Report("olx", 1, "Schengen visa without appointment, real stamp in your passport, 1200 euro, delivery in 10 days, contact on WhatsApp +49 151 0000 0000"), Labels.DocumentFraud, 0.86, null),
            (Report("facebook", 1, "Safe way to England, no camp, no waiting. Small group of 25 people. Price 2000 euro, pay after you reach Dover. Telegram @safe_way_uk"), Labels.SmugglingService, 0.92, null),
            (Report("facebook", 2, "Ferry tickets to Dover are cheaper this month if you book two weeks ahead, worth checking before the holidays."), Labels.SmugglingService, 0.55, null),
        ];
        var intakeStore = Services.GetRequiredService<IIntakeStore>();
        var classification = Services.GetRequiredService<IClassificationStore>();
        var stored = await intakeStore.StoreReportsAsync([.. known.Select(k => k.Report)], "api", null, ct);
        var claimed = await classification.ClaimPendingAsync(known.Length, TimeSpan.FromMinutes(10), ct);
        Assert.Equal(stored.Select(r => r.ItemId).Order(), claimed.Select(c => c.Id).Order());
        await classification.SaveVerdictsAsync(
            [.. known.Select((k, i) => new ClassifiedItem(
                stored[i].ItemId,
                new Verdict(k.Label, k.Score, new Dictionary<string, double> { [k.Label] = k.Score, [Labels.Benign] = 1 - k.Score }, "cw-desk-test", DateTimeOffset.UtcNow, k.Evidence),
                ItemStatus.InReview))],
            ct);
        EvidenceItemId = stored[0].ItemId;

        // One item the classifier dismissed, stored the same way, so the dismissed list does not hang on the model either
        // (the shipped model's score for an ordinary line can cross the threshold: see the model card's known weaknesses).
        var quiet = await intakeStore.StoreReportsAsync([Report("neighbours.example", 1, "Choir practice moves to Thursday evenings from next week, same hall.")], "api", null, ct);
        Assert.Single(await classification.ClaimPendingAsync(1, TimeSpan.FromMinutes(10), ct));
        await classification.SaveVerdictsAsync(
            [new ClassifiedItem(quiet[0].ItemId,
                new Verdict(Labels.Benign, 0.03, new Dictionary<string, double> { [Labels.SmugglingService] = 0.03, [Labels.Benign] = 0.97 }, "cw-desk-test", DateTimeOffset.UtcNow),
                ItemStatus.Dismissed)],
            ct);

        // More reports through intake and the shipped model, as in service.
        var intake = Services.GetRequiredService<IntakeService>();
        await intake.StoreAsync(
        [
            Report("facebook", 3, "Greece to Germany by truck, 4 days, everything arranged, 3500 euro per person, children half price. Call +30 690 000 1234"),
            Report("olx", 2, "Driving licence without test, registered, you can check it online. 950 GBP. Also EU licences. Telegram @fastlicence"),
            Report("telegram", 1, "Cleaners wanted in Dubai hotels, 2,000 USD a month, flights paid. Registration fee 300 USD, send a passport copy to start the visa today.", kind: ItemKinds.JobAd),
            Report("telegram", 2, "Boat to Lampedusa leaves on Friday from Sfax. 1500 dinar, pay the office, life jackets included. WhatsApp +216 20 000 000"),
            Report("facebook", 4, "Community football match in the park on Sunday at 3pm, everyone welcome, bring water."),
        ], "api", null, ct);
        await WaitForClassificationAsync(classification, ct);

        // Some history for the referrals page and the dashboard: two confirmed, one rejected, one removed by its platform.
        var review = Services.GetRequiredService<ReviewService>();
        var confirmedOlx = await review.DecideAsync(stored[6].ItemId, new DecisionRequest(Decisions.Confirm, Labels.DocumentFraud, "Sells forged documents with a contact number."), "user:" + Supervisor, ct);
        await review.DecideAsync(stored[7].ItemId, new DecisionRequest(Decisions.Confirm, Labels.SmugglingService, "Offers a border crossing for money."), "user:" + Supervisor, ct);
        await review.DecideAsync(stored[8].ItemId, new DecisionRequest(Decisions.Reject, null, "Travel advice, not an offer."), "user:" + Supervisor, ct);
        await Services.GetRequiredService<ExportService>().CreateBatchAsync("olx", ct);
        await Services.GetRequiredService<IReferralStore>().RecordStatusAsync(
            new ReferralStatusUpdate(confirmedOlx.ReferralId!, ReferralStatus.Removed, DateTimeOffset.UtcNow, "Removed under our policy on illegal goods.", "platform:olx"), ct);
        _decisionDays.Add(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await SeedHistoryAsync(ct);
    }

    /// <summary>Waits until no item is pending; on timeout, says what the Hangfire workers were doing.</summary>
    private async Task WaitForClassificationAsync(IClassificationStore classification, CancellationToken ct)
    {
        try
        {
            while (await classification.CountPendingAsync(ct) > 0)
            {
                await Task.Delay(200, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var pending = await classification.CountPendingAsync(CancellationToken.None);
            throw new TimeoutException($"{pending} items still pending classification after the seed's timeout. Hangfire: {HangfireReport(Services.GetRequiredService<JobStorage>())}");
        }
    }

    /// <summary>Every job Hangfire holds, with its state history (reasons and exceptions), for a failure message.</summary>
    private static string HangfireReport(JobStorage storage)
    {
        var monitor = storage.GetMonitoringApi();
        var stats = monitor.GetStatistics();
        var report = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"servers {stats.Servers}, enqueued {stats.Enqueued}, scheduled {stats.Scheduled}, processing {stats.Processing}, failed {stats.Failed}, succeeded {stats.Succeeded}");
        var ids = monitor.ProcessingJobs(0, 50).Select(j => j.Key)
            .Concat(monitor.ScheduledJobs(0, 50).Select(j => j.Key))
            .Concat(monitor.FailedJobs(0, 50).Select(j => j.Key))
            .Concat(monitor.SucceededJobs(0, 50).Select(j => j.Key))
            .Concat(monitor.Queues().SelectMany(q => monitor.EnqueuedJobs(q.Name, 0, 50)).Select(j => j.Key))
            .Distinct();
        foreach (var id in ids)
        {
            var details = monitor.JobDetails(id);
            report.Append(CultureInfo.InvariantCulture, $"\n job {id} {details?.Job?.Type.Name}.{details?.Job?.Method.Name} created {details?.CreatedAt:O}:");
            foreach (var state in details?.History.Reverse() ?? [])
            {
                report.Append(CultureInfo.InvariantCulture, $"\n   {state.CreatedAt:O} {state.StateName} {state.Reason} {string.Join("; ", state.Data.Select(d => d.Key + "=" + d.Value))}");
            }
        }

        return report.ToString();
    }

    /// <summary>
    /// Three weeks of past flagged items, decisions and removals on four platforms, some days left out, written through the
    /// real stores on the same database under a fake clock, so the dashboard's charts (and its screenshot) have a history.
    /// </summary>
    private async Task SeedHistoryAsync(CancellationToken ct)
    {
        const int days = 21;
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(new DateTimeOffset(now.UtcDateTime.Date.AddDays(-days).AddHours(9), TimeSpan.Zero));
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddContentWatchStorage(StorageOptions.ForDataDirectory(DataDirectory));
        await using var history = collection.BuildServiceProvider();
        var intake = history.GetRequiredService<IIntakeStore>();
        var classification = history.GetRequiredService<IClassificationStore>();
        var review = history.GetRequiredService<IReviewStore>();
        var referrals = history.GetRequiredService<IReferralStore>();
        // Per platform, hours from the decision to the removal it reports; telegram never removes.
        (string Platform, double? Hours)[] platforms = [("facebook", 20), ("olx", 5), ("telegram", null), ("marketplace.example", 52)];
        string[] texts =
        [
            "Crossing to Italy by boat next week, 2500 euro per person, WhatsApp for a place.",
            "Passports and residence cards, registered, pass every check. Telegram for prices.",
            "Farm work in the UK, visa guaranteed, pay the processing fee of 400 GBP first.",
            "Selling a used bicycle, good condition, collection only.",
        ];
        for (var day = 0; day < days; day++, clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromHours(2)))
        {
            if (day % 5 == 3)
            {
                clock.Advance(TimeSpan.FromHours(2));
                continue;
            }

            var reports = Enumerable.Range(0, 1 + (day * 7 % 5)).Select(k =>
            {
                var platform = platforms[(day + k) % platforms.Length].Platform;
                return new ReportInput(platform, $"https://{platform}.test/history/{day}-{k}", $"{texts[((day * 3) + k) % texts.Length]} Ad {day}-{k}.", ItemKinds.Post, Language: "en");
            }).ToList();
            var stored = await intake.StoreReportsAsync(reports, "api", null, ct);
            var claimed = await classification.ClaimPendingAsync(stored.Count, TimeSpan.FromMinutes(10), ct);
            Assert.Equal(stored.Select(r => r.ItemId).Order(), claimed.Select(c => c.Id).Order());
            await classification.SaveVerdictsAsync(
                [.. stored.Select(r => new ClassifiedItem(
                    r.ItemId,
                    new Verdict(Labels.SmugglingService, 0.8, new Dictionary<string, double> { [Labels.SmugglingService] = 0.8, [Labels.Benign] = 0.2 }, "cw-desk-test", clock.GetUtcNow()),
                    ItemStatus.InReview))],
                ct);
            clock.Advance(TimeSpan.FromHours(2));
            for (var k = 0; k < stored.Count; k++)
            {
                var (platform, hours) = platforms[(day + k) % platforms.Length];
                // about one in four is rejected: the benign text, and now and then another
                var confirm = (((day * 3) + k) % texts.Length) != 3 && (day * k) % 7 != 5;
                var result = await review.RecordDecisionAsync(
                    confirm
                        ? new DecisionCommand(stored[k].ItemId, Decisions.Confirm, "illegal_service", "Offers a crossing or documents for money.", "user:" + Supervisor)
                        : new DecisionCommand(stored[k].ItemId, Decisions.Reject, "", "Not an offer.", "user:" + Supervisor),
                    "Seeded history for the dashboard.",
                    ct);
                var removedAt = clock.GetUtcNow().AddHours((hours ?? 0) * (1 + (day % 3 * 0.5)));
                if (result.ReferralId is { } referral && hours is not null && removedAt < now)
                {
                    await referrals.RecordStatusAsync(new ReferralStatusUpdate(referral, ReferralStatus.Removed, removedAt, "Removed.", "platform:" + platform), ct);
                }
            }

            _decisionDays.Add(clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private static ReportInput Report(string platform, int n, string text, string? title = null, string kind = ItemKinds.Post) =>
        new(platform, $"https://{platform}.test/posts/{n}", text, kind, Title: title, Language: "en", Reporter: new Reporter("Desk Test", "desk@example.org", "NGO"));

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
