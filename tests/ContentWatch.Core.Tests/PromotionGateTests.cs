using ContentWatch.Core.Classification;
using ContentWatch.Core.Models;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Tests;

/// <summary>The promotion gate's rule of "worse", which decisions count as held out, and the registry's status rules.</summary>
public sealed class PromotionGateTests
{
    private static HarmfulFigures Figures(double precision, double recall, int count = 100, int harmful = 50) =>
        new(count, harmful, 0.5, precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), 0.1);

    [Fact]
    public void Judge_PassesACandidateWithinTheTolerance_AndRefusesOneLowerByMore()
    {
        var within = PromotionGate.Judge("c", "a", (Figures(0.90, 0.89), Figures(0.90, 0.90)), null, 0.02, 20);
        var lower = PromotionGate.Judge("c", "a", (Figures(0.90, 0.80), Figures(0.90, 0.90)), null, 0.02, 20);

        Assert.False(within.Worse);
        Assert.True(lower.Worse);
        Assert.Contains(lower.Reasons, r => r.StartsWith("golden set: harmful F1 0.847", StringComparison.Ordinal));
        Assert.Contains(lower.Reasons, r => r.StartsWith("golden set: harmful recall 0.800 against the active model's 0.900", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_UsesHeldOutDecisions_OnlyWhenThereAreEnoughOfBothKinds()
    {
        var golden = (Figures(0.9, 0.9), Figures(0.9, 0.9));
        var few = PromotionGate.Judge("c", "a", golden, (Figures(0.5, 0.5, count: 10, harmful: 5), Figures(1, 1, count: 10, harmful: 5)), 0.02, 20);
        var enough = PromotionGate.Judge("c", "a", golden, (Figures(0.95, 0.5, count: 40, harmful: 20), Figures(0.9, 0.9, count: 40, harmful: 20)), 0.02, 20);

        Assert.False(few.Worse);
        Assert.False(few.Decisions!.Judged);
        Assert.Contains("too few to judge", few.Decisions.Note, StringComparison.Ordinal);
        Assert.True(enough.Worse);
        Assert.Equal("held-out decisions: recall on confirmed items 0.500 against the active model's 0.900 (more than 0.020 lower)", Assert.Single(enough.Reasons));
    }

    [Fact]
    public void Judge_RefusesWithoutAGoldenSet_AndPassesAnythingWithoutAnActiveModel()
    {
        Assert.True(PromotionGate.Judge("c", "a", null, null, 0.02, 20, "none at /x").Worse);
        Assert.False(PromotionGate.Judge("c", null, null, null, 0.02, 20).Worse);
    }

    [Fact]
    public void HeldOut_FollowsWhatTheMetadataSaysTheModelWasTrainedOn()
    {
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var item = new DecidedItem("item-1", "text", null, "post", "en", ItemStatus.Confirmed, at);

        Assert.True(PromotionGate.HeldOut(item, ModelTraining.None));
        Assert.False(PromotionGate.HeldOut(item, new ModelTraining([], DecisionsUntil: at)));
        Assert.True(PromotionGate.HeldOut(item, new ModelTraining([], DecisionsUntil: at.AddSeconds(-1))));
        Assert.True(PromotionGate.HeldOut(item, new ModelTraining([], at.AddDays(-1), 12)));
    }

    [Fact]
    public void Labelled_TakesConfirmedAsHarmful_AndRejectedAsBenign()
    {
        var at = DateTimeOffset.UnixEpoch;
        var labelled = PromotionGate.Labelled([new("a", "t", null, "post", null, ItemStatus.Confirmed, at), new("b", "t", null, "post", null, ItemStatus.Rejected, at)]);

        Assert.Equal([true, false], labelled.Select(l => l.Harmful));
        Assert.Equal(Labels.Benign, labelled[1].Label);
    }

    [Fact]
    public void Count_FlagsAtTheThreshold_AndComputesHarmfulFigures()
    {
        var figures = HarmfulMeasure.Count([true, true, true, false, false], [0.9, 0.5, 0.2, 0.5, 0.1], 0.5);

        Assert.Equal((5, 3, 0.6667, 0.6667, 0.6667, 0.5), (figures.Count, figures.Harmful, figures.Precision, figures.Recall, figures.F1, figures.BenignFalsePositiveRate));
    }

    [Theory]
    [InlineData(ModelStatus.Active, ModelStatus.Retired, StatusChangeOutcome.Conflict)]
    [InlineData(ModelStatus.Active, ModelStatus.Shadow, StatusChangeOutcome.Conflict)]
    [InlineData(ModelStatus.Shadow, ModelStatus.Shadow, StatusChangeOutcome.Unchanged)]
    [InlineData(null, ModelStatus.Active, StatusChangeOutcome.NotFound)]
    public void Refusal_KeepsOneActiveModel(string? current, string target, StatusChangeOutcome outcome) =>
        Assert.Equal(outcome, ModelRules.Refusal(new StatusChange("m", target, "key:a", false), current, "m")!.Outcome);

    [Theory]
    [InlineData(ModelStatus.Candidate, ModelStatus.Active)]
    [InlineData(ModelStatus.Retired, ModelStatus.Active)]
    [InlineData(ModelStatus.Candidate, ModelStatus.Shadow)]
    [InlineData(ModelStatus.Shadow, ModelStatus.Retired)]
    public void Refusal_AllowsActivationShadowingAndRetiring(string current, string target) =>
        Assert.Null(ModelRules.Refusal(new StatusChange("m", target, "key:a", false), current, "other"));

    [Theory]
    [InlineData("cw-lbfgs-20261206-38c22ce", true)]
    [InlineData("model_2.1", true)]
    [InlineData("-leading-dash", false)]
    [InlineData("cw/../../etc", false)]
    [InlineData("cw-<script>", false)]
    [InlineData("cw lbfgs", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsModelId_TakesOnlyPlainVersions(string? id, bool valid) => Assert.Equal(valid, ModelRules.IsModelId(id));
}
