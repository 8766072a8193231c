using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

/// <summary>Officers' decisions as training rows: the platform and day caps, the de-duplication and the decision set's record.</summary>
public sealed class DecisionExamplesTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static double Share(IReadOnlyList<string> keys, double[] weights, string key) => DecisionWeights.Shares(keys, weights)[key];

    [Fact]
    public void Caps_DownWeightAPlatformAndADayThatWouldSwampTheRest_AndLeaveTheOthersAlone()
    {
        // 1,000 decisions from one platform on one day, and 50 others over four platforms and ten other days.
        var platforms = new List<string>();
        var days = new List<string>();
        for (var i = 0; i < 1_000; i++)
        {
            platforms.Add("telegram");
            days.Add("2026-12-01");
        }

        string[] others = ["facebook", "tiktok", "x", "instagram"];
        for (var i = 0; i < 50; i++)
        {
            platforms.Add(others[i % 4]);
            days.Add($"2026-11-{10 + i % 10}");
        }

        var weights = DecisionWeights.Compute(platforms, days, platforms.Select(_ => (string?)null).ToList(), platformCap: 0.4, dayCap: 0.2);

        Assert.All(DecisionWeights.Shares(platforms, weights).Values, s => Assert.True(s <= 0.4 + 1e-9, $"platform share {s}"));
        Assert.All(DecisionWeights.Shares(days, weights).Values, s => Assert.True(s <= 0.2 + 1e-9, $"day share {s}"));

        // Proportional: the swamping day's decisions all share one factor; the others keep their weight of 1.
        // The 50 others weigh 50; the day then holds 20% of 62.5, i.e. 12.5, so each of its 1,000 weighs 0.0125.
        Assert.All(weights.Take(1_000), w => Assert.Equal(0.0125, w, 9));
        Assert.All(weights.Skip(1_000), w => Assert.Equal(1.0, w, 9));
        Assert.Equal(0.2, Share(days, weights, "2026-12-01"), 9);
        Assert.Equal(0.2, Share(platforms, weights, "telegram"), 9);
    }

    [Fact]
    public void Caps_HoldForBothPartitions_WhenTheyCross()
    {
        // One platform spread over days, one day spread over platforms: capping one moves the other.
        var platforms = new List<string>();
        var days = new List<string>();
        void Add(string platform, string day, int count)
        {
            for (var i = 0; i < count; i++)
            {
                platforms.Add(platform);
                days.Add(day);
            }
        }

        Add("telegram", "d1", 300);
        Add("telegram", "d2", 200);
        Add("facebook", "d1", 150);
        for (var d = 3; d <= 9; d++)
        {
            Add("tiktok", "d" + d, 10);
            Add("x", "d" + d, 10);
            Add("facebook", "d" + d, 5);
        }

        var weights = DecisionWeights.Compute(platforms, days, platforms.Select(_ => (string?)null).ToList(), 0.4, 0.2);

        Assert.True(DecisionWeights.Shares(platforms, weights).Values.Max() <= 0.4 + 1e-6);
        Assert.True(DecisionWeights.Shares(days, weights).Values.Max() <= 0.2 + 1e-6);
        Assert.All(weights, w => Assert.InRange(w, 1e-6, 1.0));
    }

    [Fact]
    public void Caps_ThatCannotBeMet_BecomeAnEqualShare_AndABalancedSetIsUntouched()
    {
        string[] twoPlatforms = ["a", "a", "a", "b"];
        string[] oneDay = ["d", "d", "d", "d"];
        var weights = DecisionWeights.Compute(twoPlatforms, oneDay, [null, null, null, null], 0.4, 0.2);
        Assert.Equal(0.5, Share(twoPlatforms, weights, "a"), 9);
        Assert.Equal(1.0, weights[3], 9);

        string[] platforms = ["a", "b", "c", "d", "e"];
        string[] days = ["1", "2", "3", "4", "5"];
        Assert.All(DecisionWeights.Compute(platforms, days, [null, null, null, null, null], 0.4, 0.2), w => Assert.Equal(1.0, w, 12));
    }

    [Fact]
    public void AClusterDecision_WeighsAsOneDecision_SharedByItsMembers()
    {
        string[] platforms = ["a", "b", "c", "d", "e", "a", "b"];
        string[] days = ["1", "2", "3", "4", "5", "6", "7"];

        var weights = DecisionWeights.Compute(platforms, days, [null, null, null, null, null, "k", "k"], 1, 1);

        Assert.Equal([1, 1, 1, 1, 1, 0.5, 0.5], weights);
    }

    private static DeskDecision Decision(string id, string text, string label, string platform = "telegram", int day = 0, string? cluster = null) =>
        new(id, text, label, "en", platform, Day1.AddDays(day), cluster);

    [Fact]
    public void Prepare_LeavesOutTextsTheTrainingDataHolds_Repeats_AndDecisionsAfterTheCutOff_AndRecordsTheSet()
    {
        var corpus = new List<LabeledText>
        {
            new("c1", TrainingData.SourceCorpus, "Boat to UK tonight, 1500 euro", Labels.SmugglingService, "c:x", 1f),
        };
        var decisions = new List<DeskDecision>
        {
            Decision("d1", "boat   to UK tonight, 1500 EURO", Labels.SmugglingService, day: 0),   // the corpus row's text
            Decision("d2", "Passports for sale, telegram", Labels.DocumentFraud, "facebook", day: 1),
            Decision("d3", "Passports  for sale, TELEGRAM", Labels.DocumentFraud, "tiktok", day: 2),  // repeats d2
            Decision("d4", "Bus lanes meeting on Tuesday", Labels.Benign, "x", day: 3),
            Decision("d5", "Jobs in Dubai, pay the fee first", Labels.FakeJobOffer, day: 9),        // after the cut-off
        };
        var options = new ModelTrainerOptions { DecisionWeight = 3, DecisionsBefore = Day1.AddDays(5) };

        var prepared = DecisionExamples.Prepare(decisions, corpus, options, "examples.jsonl");
        var shuffled = DecisionExamples.Prepare([.. decisions.AsEnumerable().Reverse()], corpus, options, "examples.jsonl");

        Assert.Equal(["desk:d2", "desk:d4"], prepared.Rows.Select(r => r.Id));
        Assert.All(prepared.Rows, r => Assert.Equal(("desk", "desk", "en"), (r.Source, r.Writer, r.Language)));
        Assert.All(prepared.Rows, r => Assert.Equal(3f, r.Weight));
        var info = prepared.Info;
        Assert.Equal((4, 1, 1, 1, 2), (info.Count, info.HeldOut, info.InCorpus, info.Repeats, info.Used));
        Assert.Equal(decisions[3].DecidedAt, info.NewestDecidedAt);
        Assert.Equal(decisions[0].DecidedAt, info.OldestDecidedAt);
        Assert.Equal(DecisionExamples.SetHash(decisions.Take(4)), info.Sha256);
        Assert.Equal(info.Sha256, shuffled.Info.Sha256);
        Assert.Equal(64, info.Sha256.Length);
        Assert.Equal([(Labels.Benign, 1), (Labels.DocumentFraud, 1)], info.Labels.Select(l => (l.Key, l.Value)));
        Assert.Equal(6.0, info.TotalWeight);
    }

    [Fact]
    public void BalanceWeights_MakeADecisionWorthItsWeightInCorpusRows_OfTheSameLabel()
    {
        var rows = new List<LabeledText>
        {
            new("c1", TrainingData.SourceCorpus, "a", Labels.SmugglingService, "c:a", 1f),
            new("d1", DecisionExamples.SourceDesk, "b", Labels.SmugglingService, "c:b", 3f),
            new("d2", DecisionExamples.SourceDesk, "c", Labels.SmugglingService, "c:c", 0.5f),
            new("p1", "sms_uci", "d", Labels.SmugglingService, "sms:d", 1f),
            new("c2", TrainingData.SourceCorpus, "e", Labels.Benign, "c:e", 1f),
        };

        var weighted = ModelTrainer.BalanceWeights(rows, corpusWeight: 8f);

        Assert.Equal(3.0, weighted[1].Weight / weighted[0].Weight, 5);
        Assert.Equal(0.5, weighted[2].Weight / weighted[0].Weight, 5);
        Assert.Equal(8.0, weighted[0].Weight / weighted[3].Weight, 5);
    }

    [Theory]
    [InlineData("models/golden/set.jsonl", true)]
    [InlineData("models/golden", true)]
    [InlineData("x/models/../models/GOLDEN/a/b.jsonl", true)]
    [InlineData("models/corpus/v2/docs.jsonl", false)]
    [InlineData("models/golden-notes/a.jsonl", false)]
    [InlineData("golden/a.jsonl", false)]
    public void GoldenSetPaths_AreRecognised(string path, bool golden) =>
        Assert.Equal(golden, TrainingData.IsGolden(Path.Combine(Path.GetTempPath(), path)));

    [Fact]
    public async Task Training_RefusesTheGoldenSet_NamedOrFoundInACorpusFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "cw-golden-" + Guid.NewGuid().ToString("N"));
        var golden = Path.Combine(root, "models", "golden");
        Directory.CreateDirectory(golden);
        File.Copy(Path.Combine(TestPaths.SampleCorpus, "benign.jsonl"), Path.Combine(golden, "golden.jsonl"));
        try
        {
            var named = SampleModelFixture.SampleOptions(Path.Combine(root, "m.zip"));
            named.DecisionsPath = Path.Combine(golden, "golden.jsonl");
            Assert.Contains("golden", Assert.Throws<ArgumentException>(named.Validate).Message);

            var inside = SampleModelFixture.SampleOptions(Path.Combine(root, "m.zip"));
            inside.CorpusDirectory = Path.Combine(root, "models");
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ModelTrainer.TrainAsync(inside));
            Assert.Contains("golden", refused.Message);
            Assert.False(File.Exists(Path.Combine(root, "m.zip")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
