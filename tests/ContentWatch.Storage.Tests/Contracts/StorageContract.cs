using ContentWatch.Core.Access;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentWatch.Storage.Tests.Contracts;

/// <summary>
/// The base of every contract: a fresh migrated database per test, a fake clock, the stores, and builders for the
/// states the pipeline puts items in. A provider runs the contracts by deriving one sealed class per contract.
/// </summary>
public abstract class StorageContract<TProvider> : IAsyncLifetime
    where TProvider : IStorageTestProvider, new()
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 15, 0, 123, TimeSpan.Zero);

    protected TProvider Provider { get; } = new();

    protected FakeTimeProvider Time { get; } = new(Start);

    protected IServiceProvider Services { get; private set; } = null!;

    private readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));

    /// <summary>Bounds every store call, so a lock-up fails the test instead of hanging the run.</summary>
    protected CancellationToken Ct => timeout.Token;

    protected IIntakeStore Intake => Services.GetRequiredService<IIntakeStore>();
    protected IClassificationStore Classification => Services.GetRequiredService<IClassificationStore>();
    protected IReviewStore Review => Services.GetRequiredService<IReviewStore>();
    protected IReferralStore Referrals => Services.GetRequiredService<IReferralStore>();
    protected IExportStore Exports => Services.GetRequiredService<IExportStore>();
    protected IApiKeyStore ApiKeys => Services.GetRequiredService<IApiKeyStore>();
    protected IScanStateStore ScanState => Services.GetRequiredService<IScanStateStore>();
    protected IUserStore Users => Services.GetRequiredService<IUserStore>();
    protected IDeskStore Desk => Services.GetRequiredService<IDeskStore>();

    public async Task InitializeAsync()
    {
        Skip.If(Provider.SkipReason is not null, Provider.SkipReason);
        Services = await Provider.CreateDatabaseAsync(Time, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        timeout.Dispose();
    }

    /// <summary>Stores one report through intake and returns its item id.</summary>
    protected async Task<string> IngestAsync(ReportInput report)
    {
        var results = await Intake.StoreReportsAsync([report], "api", null, Ct);
        return results[0].ItemId;
    }

    /// <summary>Stores a report and gives it a verdict that sends it to the review queue.</summary>
    protected async Task<string> InReviewAsync(ReportInput report, double score = 0.9, string label = Labels.SmugglingService)
    {
        var id = await IngestAsync(report);
        await Classification.SaveVerdictsAsync([new ClassifiedItem(id, AVerdict(label, score), ItemStatus.InReview)], Ct);
        return id;
    }

    /// <summary>An item in review, confirmed by an officer: returns the item id and its referral id.</summary>
    protected async Task<(string ItemId, string ReferralId)> ConfirmedAsync(ReportInput report, string category = "illegal_service")
    {
        var id = await InReviewAsync(report);
        var result = await Review.RecordDecisionAsync(Decide.Confirm(id, category), "Offers to smuggle people across a border.", Ct);
        Assert.Equal(DecisionOutcome.Recorded, result.Outcome);
        return (id, result.ReferralId!);
    }

    protected Verdict AVerdict(string label = Labels.SmugglingService, double score = 0.9) =>
        new(
            label,
            score,
            new Dictionary<string, double> { [label] = score, [Labels.Benign] = 1 - score },
            "cw-test-1",
            Time.GetUtcNow());
}

/// <summary>Builds reports; every one has its own URL and text unless told otherwise.</summary>
public static class Reports
{
    private static int counter;

    public static ReportInput New(string platform = "example", string? url = null, string? text = null, string kind = ItemKinds.Post)
    {
        var n = Interlocked.Increment(ref counter);
        return new ReportInput(
            platform,
            url ?? $"https://{platform}.test/posts/{n}-{Guid.NewGuid():N}",
            text ?? $"Report {n}: crossing arranged, documents included, {Guid.NewGuid():N}",
            kind,
            ExternalId: $"ext-{n}",
            Title: $"Post {n}",
            Language: "en",
            Author: "someone",
            PostedAt: new DateTimeOffset(2026, 11, 27, 8, 30, 0, 456, TimeSpan.Zero),
            Reporter: new Reporter("Ana Reporter", "ana@example.org", "NGO"));
    }

    public static List<ReportInput> Many(int count, string platform = "example") =>
        Enumerable.Range(0, count).Select(_ => New(platform)).ToList();
}

public static class Decide
{
    public static DecisionCommand Confirm(string itemId, string category = "illegal_service", string actor = "officer-1") =>
        new(itemId, Decisions.Confirm, category, "Matches a known smuggling offer.", actor);

    public static DecisionCommand Reject(string itemId, string actor = "officer-1") =>
        new(itemId, Decisions.Reject, "", "Satire, not an offer.", actor);
}
