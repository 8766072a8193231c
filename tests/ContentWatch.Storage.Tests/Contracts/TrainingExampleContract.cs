using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;
using ContentWatch.Core.Training;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Contracts;

public abstract class TrainingExampleContract<TProvider> : StorageContract<TProvider>
    where TProvider : IStorageTestProvider, new()
{
    private ITrainingExampleStore Examples => Services.GetRequiredService<ITrainingExampleStore>();

    private async Task<List<TrainingExample>> AllAsync(DateTimeOffset? since = null, int pageSize = TrainingExamples.PageSize)
    {
        var list = new List<TrainingExample>();
        await foreach (var example in TrainingExamples.StreamAsync(Examples, since, Ct, pageSize))
        {
            list.Add(example);
        }

        return list;
    }

    private async Task DecideAsync(DecisionCommand command)
    {
        var result = await Review.RecordDecisionAsync(command, "explanation", Ct);
        Assert.Equal(DecisionOutcome.Recorded, result.Outcome);
        Time.Advance(TimeSpan.FromSeconds(1));
    }

    [SkippableFact]
    public async Task Examples_AreFirstDecisions_OldestFirst_WithTheirLabelAndProvenance()
    {
        var confirmedReport = Reports.New(platform: "telegram", text: "Boat to the UK, 1500 per person");
        var confirmed = await InReviewAsync(confirmedReport);
        var rejected = await InReviewAsync(Reports.New(platform: "facebook"));
        var confirmedTwice = await InReviewAsync(Reports.New());
        var notDecided = await InReviewAsync(Reports.New());
        var start = Time.GetUtcNow();

        await DecideAsync(Decide.Confirm(confirmed, Labels.SmugglingService, actor: "officer-ana"));
        await DecideAsync(Decide.Reject(rejected, actor: "officer-bo"));
        await DecideAsync(Decide.Confirm(confirmedTwice, Labels.DocumentFraud));
        await DecideAsync(Decide.Confirm(confirmedTwice, Labels.DocumentFraud, actor: "officer-2"));

        var examples = await AllAsync();

        Assert.Equal([confirmed, rejected, confirmedTwice], examples.Select(e => e.ItemId));
        Assert.DoesNotContain(examples, e => e.ItemId == notDecided);
        Assert.Equal([Labels.SmugglingService, Labels.Benign, Labels.DocumentFraud], examples.Select(e => e.Label));
        var first = examples[0];
        var audit = await Review.GetAuditAsync(confirmed, Ct);
        Assert.Equal(Assert.Single(audit).Id, first.DecisionId);
        Assert.Equal("officer-ana", first.Officer);
        Assert.Equal(start, first.DecidedAt);
        Assert.Equal("telegram", first.Platform);
        Assert.Equal("en", first.Language);
        Assert.Equal(confirmedReport.Text, first.Text);
        Assert.Equal(confirmedReport.Title, first.Title);
        Assert.Equal(confirmedReport.Kind, first.Kind);
        Assert.Null(first.ClusterId);
        Assert.Equal("officer-bo", examples[1].Officer);
        Assert.Equal("officer-1", examples[2].Officer);
        Assert.Equal((await Review.GetAuditAsync(confirmedTwice, Ct))[0].Id, examples[2].DecisionId);
    }

    [SkippableFact]
    public async Task Examples_LeaveOutAnItemWhoseLaterDecisionReversesTheFirst_AndConfirmsWithoutAHarmfulCategory()
    {
        var reversed = await InReviewAsync(Reports.New());
        var rejectedTwice = await InReviewAsync(Reports.New());
        var oldCategory = await InReviewAsync(Reports.New());

        await DecideAsync(Decide.Reject(reversed));
        await DecideAsync(Decide.Reject(rejectedTwice));
        await DecideAsync(Decide.Confirm(reversed, Labels.SmugglingService));
        await DecideAsync(new DecisionCommand(rejectedTwice, Decisions.Reject, Labels.FakeJobOffer, "still not an offer", "officer-2"));
        await DecideAsync(Decide.Confirm(oldCategory, "illegal_service"));

        var examples = await AllAsync();

        var only = Assert.Single(examples);
        Assert.Equal(rejectedTwice, only.ItemId);
        Assert.Equal(Labels.Benign, only.Label);
    }

    [SkippableFact]
    public async Task Examples_PageByKeyset_WithoutLossOrRepeat_EvenWhenDecisionsShareAMillisecond_AndStartAtSince()
    {
        var items = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            items.Add(await InReviewAsync(Reports.New()));
        }

        var times = new List<DateTimeOffset>();
        for (var i = 0; i < items.Count; i++)
        {
            times.Add(Time.GetUtcNow());
            await Review.RecordDecisionAsync(Decide.Reject(items[i]), "explanation", Ct);
            if (i % 3 == 2)
            {
                Time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        var inPagesOfTwo = await AllAsync(pageSize: 2);
        var inOnePage = await AllAsync();
        var sinceFourth = await AllAsync(since: times[3]);

        Assert.Equal(items.Order(StringComparer.Ordinal), inPagesOfTwo.Select(e => e.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(inOnePage.Select(e => e.DecisionId), inPagesOfTwo.Select(e => e.DecisionId));
        Assert.Equal(inOnePage.OrderBy(e => e.DecidedAt).ThenBy(e => e.DecisionId, StringComparer.Ordinal).Select(e => e.DecisionId),
            inOnePage.Select(e => e.DecisionId));
        Assert.Equal(inOnePage.Where(e => e.DecidedAt >= times[3]).Select(e => e.DecisionId), sinceFourth.Select(e => e.DecisionId));
        Assert.Equal(4, sinceFourth.Count);
        Assert.Empty(await AllAsync(since: Time.GetUtcNow().AddSeconds(1)));
    }
}
