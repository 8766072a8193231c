using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Tests.Providers;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class DeskContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    [SkippableFact]
    public async Task QueuePage_FiltersByPlatformLabelLanguageScoreAndAge()
    {
        var alphaHigh = await InReviewAsync(Reports.New("alpha"), score: 0.95);
        Time.Advance(TimeSpan.FromDays(2));
        var alphaLow = await InReviewAsync(Reports.New("alpha"), score: 0.55);
        var betaJob = await InReviewAsync(Reports.New("beta"), score: 0.8, label: Labels.FakeJobOffer);
        var arabic = Reports.New("beta") with { Language = "ar" };
        var arabicId = await InReviewAsync(arabic, score: 0.7);
        await IngestAsync(Reports.New("alpha"));
        var twoDaysIn = Start.AddDays(1);

        async Task<string[]> Ids(QueueFilter filter) => (await Desk.GetQueuePageAsync(filter, 0, 50, Ct)).Lines.Select(l => l.Id).ToArray();

        Assert.Equal([alphaHigh, betaJob, arabicId, alphaLow], await Ids(new QueueFilter()));
        Assert.Equal([alphaHigh, alphaLow], await Ids(new QueueFilter(Platform: "alpha")));
        Assert.Equal([betaJob], await Ids(new QueueFilter(Label: Labels.FakeJobOffer)));
        Assert.Equal([arabicId], await Ids(new QueueFilter(Language: "ar")));
        Assert.Equal([betaJob, arabicId], await Ids(new QueueFilter(MinScore: 0.6, MaxScore: 0.9)));
        Assert.Equal([alphaHigh], await Ids(new QueueFilter(ReportedBefore: twoDaysIn)));
        Assert.Equal([betaJob, arabicId, alphaLow], await Ids(new QueueFilter(ReportedAfter: twoDaysIn)));
    }

    [SkippableFact]
    public async Task QueuePage_Pages_AndCountsEveryMatch()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await InReviewAsync(Reports.New(), score: 0.9 - (i * 0.1)));
        }

        var first = await Desk.GetQueuePageAsync(new QueueFilter(), 0, 2, Ct);
        var last = await Desk.GetQueuePageAsync(new QueueFilter(), 4, 2, Ct);

        Assert.Equal(5, first.Total);
        Assert.Equal(ids[..2], first.Lines.Select(l => l.Id));
        Assert.Equal([ids[4]], last.Lines.Select(l => l.Id));
        Assert.Equal("en", first.Lines[0].Language);
        Assert.Equal(Start, first.Lines[0].FirstReportedAt);
    }

    [SkippableFact]
    public async Task QueuePage_Excerpt_IsBounded()
    {
        await InReviewAsync(Reports.New(text: new string('x', 5000)));

        var line = Assert.Single((await Desk.GetQueuePageAsync(new QueueFilter(), 0, 10, Ct)).Lines);

        Assert.Equal(280, line.Excerpt.Length);
    }

    [SkippableFact]
    public async Task Dashboard_CountsFlaggedItems_DecisionsPerDay_AndPrecisionOnFlaggedItems()
    {
        var confirmed = await ConfirmedAsync(Reports.New("alpha"));
        var rejected = await InReviewAsync(Reports.New("alpha"));
        await Review.RecordDecisionAsync(Decide.Reject(rejected), "not harmful", Ct);
        Time.Advance(TimeSpan.FromDays(1));
        await InReviewAsync(Reports.New("alpha"));
        var dismissed = await IngestAsync(Reports.New("alpha"));
        await Classification.SaveVerdictsAsync([new ClassifiedItem(dismissed, AVerdict(Labels.Benign, 0.1), ItemStatus.Dismissed)], Ct);
        // decided before the model saw it: a decision, but not one on a flagged item
        var unseen = await IngestAsync(Reports.New("alpha"));
        await Review.RecordDecisionAsync(Decide.Confirm(unseen), "seen by an officer first", Ct);

        var figures = await Desk.GetDashboardAsync(Start.AddDays(-30), Ct);

        Assert.Equal([new DayCount("2026-11-28", 2), new DayCount("2026-11-29", 1)], figures.FlaggedPerDay);
        Assert.Equal([new DayDecisions("2026-11-28", 1, 1), new DayDecisions("2026-11-29", 1, 0)], figures.DecisionsPerDay);
        Assert.Equal(1, figures.FlaggedConfirmed);
        Assert.Equal(1, figures.FlaggedRejected);
        Assert.Equal(0.5, figures.Precision);
        Assert.Equal([new DayDecisions("2026-11-28", 1, 1)], figures.FlaggedDecisionsPerDay);
        Assert.NotNull(confirmed.ReferralId);
    }

    [SkippableFact]
    public async Task Dashboard_FlaggedDecisionsPerDay_CountOnTheDayOfTheDecision_AndSkipDaysWithout()
    {
        var late = await InReviewAsync(Reports.New("alpha"));
        var rejectedFirst = await InReviewAsync(Reports.New("alpha"));
        await Review.RecordDecisionAsync(Decide.Reject(rejectedFirst), "not harmful", Ct);
        Time.Advance(TimeSpan.FromDays(2));
        // flagged two days ago, decided today: counted today
        await Review.RecordDecisionAsync(Decide.Confirm(late), "offers a crossing", Ct);
        await ConfirmedAsync(Reports.New("beta"));
        var rejectedToday = await InReviewAsync(Reports.New("beta"));
        await Review.RecordDecisionAsync(Decide.Reject(rejectedToday), "not harmful", Ct);

        var figures = await Desk.GetDashboardAsync(Start.AddDays(-30), Ct);

        Assert.Equal([new DayDecisions("2026-11-28", 0, 1), new DayDecisions("2026-11-30", 2, 1)], figures.FlaggedDecisionsPerDay);
        Assert.Equal(2, figures.FlaggedConfirmed);
        Assert.Equal(2, figures.FlaggedRejected);
        Assert.Equal(0.5, figures.Precision);
    }

    [SkippableFact]
    public async Task Dashboard_Since_LeavesOutEarlierDays()
    {
        await ConfirmedAsync(Reports.New());
        Time.Advance(TimeSpan.FromDays(3));

        var figures = await Desk.GetDashboardAsync(Time.GetUtcNow().AddDays(-1), Ct);

        Assert.Empty(figures.FlaggedPerDay);
        Assert.Empty(figures.DecisionsPerDay);
        Assert.Empty(figures.FlaggedDecisionsPerDay);
        Assert.Null(figures.Precision);
    }

    [SkippableFact]
    public async Task PlatformOutcomes_CountByStatus_WithRemovalRateAndMedianTimeToRemoval()
    {
        var (_, a) = await ConfirmedAsync(Reports.New("alpha"));
        var (_, b) = await ConfirmedAsync(Reports.New("alpha"));
        var (_, c) = await ConfirmedAsync(Reports.New("alpha"));
        await ConfirmedAsync(Reports.New("beta"));
        await Referrals.RecordStatusAsync(new(a, ReferralStatus.Removed, Start.AddHours(2), null, "platform:alpha"), Ct);
        await Referrals.RecordStatusAsync(new(b, ReferralStatus.Removed, Start.AddHours(6), null, "platform:alpha"), Ct);
        await Referrals.RecordStatusAsync(new(c, ReferralStatus.Rejected, Start.AddHours(1), "lawful", "platform:alpha"), Ct);

        var outcomes = await Desk.GetPlatformOutcomesAsync(Ct);

        Assert.Equal(["alpha", "beta"], outcomes.Select(o => o.Platform));
        var alpha = outcomes[0];
        Assert.Equal(3, alpha.Total);
        Assert.Equal(2, alpha.Removed);
        Assert.Equal(1, alpha.ByStatus[ReferralStatus.Rejected]);
        Assert.Equal(2.0 / 3, alpha.RemovalRate);
        Assert.Equal(TimeSpan.FromHours(4), alpha.MedianTimeToRemoval);
        Assert.Equal(1, outcomes[1].ByStatus[ReferralStatus.Pending]);
        Assert.Null(outcomes[1].MedianTimeToRemoval);
    }

    [SkippableFact]
    public async Task OpenWork_CountsItemsInReview_AndReferralsNotYetExported()
    {
        await InReviewAsync(Reports.New("alpha"));
        await InReviewAsync(Reports.New("alpha"));
        await IngestAsync(Reports.New("alpha"));
        await ConfirmedAsync(Reports.New("alpha"));
        await ConfirmedAsync(Reports.New("beta"));
        await ConfirmedAsync(Reports.New("beta"));
        Assert.Equal(new OpenWork(2, 3), await Desk.CountOpenWorkAsync(Ct));

        await Exports.CreateBatchAsync("beta", new Notifier("Unit", "unit@example.org"), "good faith", Ct);

        Assert.Equal(new OpenWork(2, 1), await Desk.CountOpenWorkAsync(Ct));
    }
}
