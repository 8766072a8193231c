using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class ReviewContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task Queue_OrdersByScoreTimesReportCount_ThenFirstReported()
    {
        var lowOnce = await InReviewAsync(Reports.New(), score: 0.6);
        Time.Advance(TimeSpan.FromMinutes(1));
        var highOnce = await InReviewAsync(Reports.New(), score: 0.9);
        Time.Advance(TimeSpan.FromMinutes(1));
        var lowThrice = Reports.New();
        var lowThriceId = await InReviewAsync(lowThrice, score: 0.6);
        await Intake.StoreReportsAsync([lowThrice, lowThrice], "api", null, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var lowOnceLater = await InReviewAsync(Reports.New(), score: 0.6);

        var queue = await Review.GetQueueAsync(10, Ct);

        Assert.Equal([lowThriceId, highOnce, lowOnce, lowOnceLater], queue.Select(q => q.Id));
        Assert.Equal(3, queue[0].ReportCount);
        Assert.Equal(0.6, queue[0].Score);
        Assert.Equal(Labels.SmugglingService, queue[0].Label);
    }

    [SkippableFact]
    public async Task Queue_HoldsOnlyItemsInReview_UpToTheLimit()
    {
        await IngestAsync(Reports.New());
        var dismissed = await IngestAsync(Reports.New());
        await Classification.SaveVerdictsAsync([new ClassifiedItem(dismissed, AVerdict(Labels.Benign, 0.05), ItemStatus.Dismissed)], Ct);
        var confirmed = await ConfirmedAsync(Reports.New());
        var a = await InReviewAsync(Reports.New());
        var b = await InReviewAsync(Reports.New());

        var all = await Review.GetQueueAsync(10, Ct);
        var one = await Review.GetQueueAsync(1, Ct);

        Assert.Equal(new[] { a, b }.Order(), all.Select(q => q.Id).Order());
        Assert.Single(one);
        Assert.DoesNotContain(all, q => q.Id == confirmed.ItemId);
    }

    [SkippableFact]
    public async Task Queue_Excerpt_Is280Characters_WithoutSplittingASurrogatePair()
    {
        var longText = new string('a', 279) + "\U0001F600" + new string('b', 100);
        var plain = new string('c', 400);
        var shortText = "short \U0001F600";
        await InReviewAsync(Reports.New(text: longText), score: 0.9);
        await InReviewAsync(Reports.New(text: plain), score: 0.8);
        await InReviewAsync(Reports.New(text: shortText), score: 0.7);

        var queue = await Review.GetQueueAsync(10, Ct);

        Assert.Equal(new string('a', 279), queue[0].Excerpt);
        Assert.Equal(new string('c', 280), queue[1].Excerpt);
        Assert.Equal(shortText, queue[2].Excerpt);
    }

    [SkippableFact]
    public async Task GetItem_Missing_ReturnsNull()
    {
        Assert.Null(await Review.GetItemAsync("00000000000000000000000000000000", Ct));
    }

    [SkippableFact]
    public async Task GetItem_CarriesTheVerdictAndTheReferral()
    {
        var (itemId, referralId) = await ConfirmedAsync(Reports.New());

        var item = await Review.GetItemAsync(itemId, Ct);

        Assert.Equal(ItemStatus.Confirmed, item!.Status);
        Assert.Equal(referralId, item.ReferralId);
        Assert.Equal(Labels.SmugglingService, item.Verdict!.Label);
        Assert.Equal(0.9, item.Verdict.Scores[Labels.SmugglingService]);
    }

    [SkippableFact]
    public async Task ListItems_FiltersByStatusAndPlatform_NewestFirst()
    {
        var alphaPending = await IngestAsync(Reports.New(platform: "alpha"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var alphaReview = await InReviewAsync(Reports.New(platform: "alpha"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var betaReview = await InReviewAsync(Reports.New(platform: "beta"));

        var inReview = await Review.ListItemsAsync(ItemStatus.InReview, null, 10, Ct);
        var alpha = await Review.ListItemsAsync(null, "alpha", 10, Ct);
        var alphaInReview = await Review.ListItemsAsync(ItemStatus.InReview, "alpha", 10, Ct);
        var everything = await Review.ListItemsAsync(null, null, 2, Ct);

        Assert.Equal([betaReview, alphaReview], inReview.Select(i => i.Id));
        Assert.Equal([alphaReview, alphaPending], alpha.Select(i => i.Id));
        Assert.Equal(alphaReview, Assert.Single(alphaInReview).Id);
        Assert.Equal([betaReview, alphaReview], everything.Select(i => i.Id));
        Assert.Equal(0.9, inReview[0].Score);
        Assert.Null(alpha[1].Label);
    }

    [SkippableFact]
    public async Task Confirm_CreatesOneReferral_EvenWhenSentTwice()
    {
        var id = await InReviewAsync(Reports.New());

        var first = await Review.RecordDecisionAsync(Decide.Confirm(id), "explanation 1", Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await Review.RecordDecisionAsync(Decide.Confirm(id, actor: "officer-2"), "explanation 2", Ct);

        Assert.Equal(DecisionOutcome.Recorded, first.Outcome);
        Assert.Equal(DecisionOutcome.Recorded, second.Outcome);
        Assert.NotNull(first.ReferralId);
        Assert.Equal(first.ReferralId, second.ReferralId);
        Assert.Equal(1, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM referrals", Ct));
        var audit = await Review.GetAuditAsync(id, Ct);
        Assert.Equal(2, audit.Count);
        Assert.Equal(ItemStatus.InReview, audit[0].StatusBefore);
        Assert.Equal(ItemStatus.Confirmed, audit[1].StatusBefore);
        Assert.All(audit, a => Assert.Equal(first.ReferralId, a.ReferralId));
    }

    [SkippableFact]
    public async Task Confirm_ReferralCarriesTheDecisionAndTheEvidence()
    {
        var report = Reports.New(platform: "alpha");
        var id = await InReviewAsync(report);
        Time.Advance(TimeSpan.FromHours(2));

        var result = await Review.RecordDecisionAsync(Decide.Confirm(id, "document_fraud"), "Sells forged passports.", Ct);

        var referral = await Referrals.GetReferralAsync(result.ReferralId!, Ct);
        Assert.NotNull(referral);
        Assert.Equal(id, referral.ItemId);
        Assert.Equal("alpha", referral.Platform);
        Assert.Equal(report.Url, referral.Url);
        Assert.Equal("document_fraud", referral.Category);
        Assert.Equal("pending", referral.Status);
        Assert.Equal(Start.AddHours(2), referral.CreatedAt);
        Assert.Null(referral.ExportId);

        var batch = await Exports.CreateBatchAsync("alpha", new("ContentWatch unit", "unit@example.org"), "In good faith.", Ct);
        var notice = Assert.Single((await Exports.GetDocumentAsync("alpha", batch!.Id, Ct))!.Notices);
        Assert.Equal("Sells forged passports.", notice.Explanation);
        Assert.True(notice.AutomatedDetection);
        Assert.Equal(Core.Intake.DuplicateKeys.Sha256Hex(report.Text), notice.EvidenceSha256);
        Assert.Equal(Start, notice.ReportedAt);
        Assert.Equal(Start.AddHours(2), notice.DecidedAt);
    }

    [SkippableFact]
    public async Task Confirm_OnAnItemTheModelNeverSaw_IsNotAutomatedDetection()
    {
        var id = await IngestAsync(Reports.New());

        var result = await Review.RecordDecisionAsync(Decide.Confirm(id), "Seen by an officer.", Ct);

        var batch = await Exports.CreateBatchAsync("example", new("Unit", "unit@example.org"), "In good faith.", Ct);
        var notice = Assert.Single((await Exports.GetDocumentAsync("example", batch!.Id, Ct))!.Notices);
        Assert.Equal(result.ReferralId, notice.ReferralId);
        Assert.False(notice.AutomatedDetection);
        var audit = Assert.Single(await Review.GetAuditAsync(id, Ct));
        Assert.Null(audit.LabelBefore);
        Assert.Null(audit.ScoreBefore);
    }

    [SkippableFact]
    public async Task Reject_RecordsTheDecision_AndTheStateBefore()
    {
        var id = await InReviewAsync(Reports.New(), score: 0.75, label: Labels.FakeJobOffer);
        Time.Advance(TimeSpan.FromMinutes(3));

        var result = await Review.RecordDecisionAsync(Decide.Reject(id, actor: "officer-7"), "", Ct);

        Assert.Equal(DecisionOutcome.Recorded, result.Outcome);
        Assert.Null(result.ReferralId);
        Assert.Equal(ItemStatus.Rejected, (await Review.GetItemAsync(id, Ct))!.Status);
        var audit = Assert.Single(await Review.GetAuditAsync(id, Ct));
        Assert.Equal(id, audit.ItemId);
        Assert.Equal("officer-7", audit.Actor);
        Assert.Equal(Start.AddMinutes(3), audit.At);
        Assert.Equal(Decisions.Reject, audit.Decision);
        Assert.Null(audit.Category);
        Assert.Equal("Satire, not an offer.", audit.Reason);
        Assert.Equal(ItemStatus.InReview, audit.StatusBefore);
        Assert.Equal(Labels.FakeJobOffer, audit.LabelBefore);
        Assert.Equal(0.75, audit.ScoreBefore);
        Assert.Equal(ItemStatus.Rejected, audit.StatusAfter);
        Assert.Null(audit.ReferralId);
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM referrals", Ct));
    }

    [SkippableFact]
    public async Task Reject_OnAnItemWithAReferral_IsAConflict_AndWritesNothing()
    {
        var (id, referralId) = await ConfirmedAsync(Reports.New());

        var result = await Review.RecordDecisionAsync(Decide.Reject(id), "", Ct);

        Assert.Equal(DecisionOutcome.Conflict, result.Outcome);
        Assert.Equal(referralId, result.ReferralId);
        Assert.Equal(ItemStatus.Confirmed, (await Review.GetItemAsync(id, Ct))!.Status);
        Assert.Single(await Review.GetAuditAsync(id, Ct));
    }

    [SkippableFact]
    public async Task Confirm_WithAnotherCategory_OnAReferredItem_IsAConflict_AndWritesNothing()
    {
        var (id, referralId) = await ConfirmedAsync(Reports.New());

        var other = await Review.RecordDecisionAsync(Decide.Confirm(id, category: "document_fraud"), "x", Ct);
        var same = await Review.RecordDecisionAsync(Decide.Confirm(id), "x", Ct);

        Assert.Equal(DecisionOutcome.Conflict, other.Outcome);
        Assert.Equal(referralId, other.ReferralId);
        Assert.Equal(DecisionOutcome.Recorded, same.Outcome);
        Assert.Equal(referralId, same.ReferralId);
        Assert.Equal(2, (await Review.GetAuditAsync(id, Ct)).Count);
        Assert.Equal(1, await Provider.ScalarAsync<int>($"SELECT COUNT(*) FROM referrals WHERE category = 'illegal_service'", Ct));
    }

    [SkippableFact]
    public async Task Decision_OnAMissingItem_IsItemNotFound()
    {
        var result = await Review.RecordDecisionAsync(Decide.Confirm("00000000000000000000000000000000"), "x", Ct);

        Assert.Equal(DecisionOutcome.ItemNotFound, result.Outcome);
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM decisions", Ct));
        Assert.Equal(0, await Provider.ScalarAsync<int>("SELECT COUNT(*) FROM referrals", Ct));
    }

    [SkippableFact]
    public async Task GetAudit_ListsDecisionsInTimeOrder()
    {
        var id = await InReviewAsync(Reports.New());
        await Review.RecordDecisionAsync(Decide.Reject(id, actor: "a"), "", Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Review.RecordDecisionAsync(Decide.Confirm(id, actor: "b"), "x", Ct);
        await Review.RecordDecisionAsync(Decide.Confirm(id, actor: "c"), "x", Ct);

        var audit = await Review.GetAuditAsync(id, Ct);

        Assert.Equal(["a", "b", "c"], audit.Select(a => a.Actor));
        Assert.Equal([ItemStatus.InReview, ItemStatus.Rejected, ItemStatus.Confirmed], audit.Select(a => a.StatusBefore));
        Assert.Empty(await Review.GetAuditAsync("00000000000000000000000000000000", Ct));
    }
}
