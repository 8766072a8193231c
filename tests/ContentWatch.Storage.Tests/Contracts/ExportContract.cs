using ContentWatch.Core.Export;
using ContentWatch.Core.Referral;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class ExportContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private static readonly Notifier Unit = new("ContentWatch unit", "unit@example.org");
    private const string GoodFaith = "I confirm in good faith that the information is accurate and complete.";

    [SkippableFact]
    public async Task CreateBatch_WithNothingPending_ReturnsNull()
    {
        await InReviewAsync(Reports.New());

        Assert.Null(await Exports.CreateBatchAsync("example", Unit, GoodFaith, Ct));
        Assert.Empty(await Exports.ListBatchesAsync("example", Ct));
    }

    [SkippableFact]
    public async Task CreateBatch_TakesEveryPendingReferralOfThePlatform_Once()
    {
        var (_, a) = await ConfirmedAsync(Reports.New(platform: "alpha"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var (_, b) = await ConfirmedAsync(Reports.New(platform: "alpha"));
        var (_, other) = await ConfirmedAsync(Reports.New(platform: "beta"));
        Time.Advance(TimeSpan.FromMinutes(1));

        var batch = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);
        var again = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);

        Assert.NotNull(batch);
        Assert.Null(again);
        Assert.Equal(2, batch.Count);
        Assert.Equal("alpha", batch.Platform);
        Assert.Equal(Time.GetUtcNow(), batch.CreatedAt);
        var referral = await Referrals.GetReferralAsync(a, Ct);
        Assert.Equal(ReferralStatus.Exported, referral!.Status);
        Assert.Equal(batch.Id, referral.ExportId);
        Assert.Equal(ReferralStatus.Pending, (await Referrals.GetReferralAsync(other, Ct))!.Status);
        var document = await Exports.GetDocumentAsync("alpha", batch.Id, Ct);
        Assert.Equal([a, b], document!.Notices.Select(n => n.ReferralId));
    }

    [SkippableFact]
    public async Task GetDocument_CarriesTheArticle16Elements()
    {
        var report = Reports.New(platform: "alpha");
        var (itemId, referralId) = await ConfirmedAsync(report, category: "illegal_service");
        var batch = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);

        var document = await Exports.GetDocumentAsync("alpha", batch!.Id, Ct);

        Assert.NotNull(document);
        Assert.Equal(batch.Id, document.Id);
        Assert.Equal("alpha", document.Platform);
        Assert.Equal(batch.CreatedAt, document.CreatedAt);
        var notice = Assert.Single(document.Notices);
        Assert.Equal(referralId, notice.ReferralId);
        Assert.Equal(itemId, notice.ItemId);
        Assert.Equal(report.Url, notice.Url);
        Assert.Equal("illegal_service", notice.Category);
        Assert.Equal("Offers to smuggle people across a border.", notice.Explanation);
        Assert.Equal(Unit, notice.Notifier);
        Assert.Equal(GoodFaith, notice.GoodFaithStatement);
        Assert.True(notice.AutomatedDetection);
        Assert.Equal(64, notice.EvidenceSha256.Length);
    }

    [SkippableFact]
    public async Task GetDocument_OfAnotherPlatformOrUnknown_ReturnsNull()
    {
        await ConfirmedAsync(Reports.New(platform: "alpha"));
        var batch = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);

        Assert.Null(await Exports.GetDocumentAsync("beta", batch!.Id, Ct));
        Assert.Null(await Exports.GetDocumentAsync("alpha", "00000000000000000000000000000000", Ct));
    }

    [SkippableFact]
    public async Task ListBatches_NewestFirst_ForThePlatformOnly()
    {
        await ConfirmedAsync(Reports.New(platform: "alpha"));
        var first = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);
        Time.Advance(TimeSpan.FromHours(1));
        await ConfirmedAsync(Reports.New(platform: "alpha"));
        await ConfirmedAsync(Reports.New(platform: "alpha"));
        var second = await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct);
        await ConfirmedAsync(Reports.New(platform: "beta"));
        await Exports.CreateBatchAsync("beta", Unit, GoodFaith, Ct);

        var batches = await Exports.ListBatchesAsync("alpha", Ct);

        Assert.Equal([second!, first!], batches);
        Assert.Equal([2, 1], batches.Select(b => b.Count));
    }

    [SkippableFact]
    public async Task CreateBatch_RacingCalls_NeverIncludeAReferralTwice()
    {
        var referrals = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            referrals.Add((await ConfirmedAsync(Reports.New(platform: "alpha"))).ReferralId);
        }

        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct))));

        var made = racing.OfType<ExportBatch>().ToList();
        Assert.Single(made);
        var exported = new List<string>();
        foreach (var batch in made)
        {
            exported.AddRange((await Exports.GetDocumentAsync("alpha", batch.Id, Ct))!.Notices.Select(n => n.ReferralId));
        }

        Assert.Equal(referrals.Order(), exported.Order());
    }

    [SkippableFact]
    public async Task CreateBatch_RacingWithConfirms_ExportsEveryReferralExactlyOnce()
    {
        var confirming = Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < 30; i++)
            {
                ids.Add((await ConfirmedAsync(Reports.New(platform: "alpha"))).ReferralId);
            }

            return ids;
        });
        var batches = new List<ExportBatch>();
        while (!confirming.IsCompleted)
        {
            if (await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct) is { } batch)
            {
                batches.Add(batch);
            }
        }

        var referrals = await confirming;
        if (await Exports.CreateBatchAsync("alpha", Unit, GoodFaith, Ct) is { } last)
        {
            batches.Add(last);
        }

        var exported = new List<string>();
        foreach (var batch in batches)
        {
            var notices = (await Exports.GetDocumentAsync("alpha", batch.Id, Ct))!.Notices;
            Assert.Equal(batch.Count, notices.Count);
            exported.AddRange(notices.Select(n => n.ReferralId));
        }

        Assert.Equal(referrals.Order(), exported.Order());
    }
}
