using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

/// <summary>
/// Fixed bars on a writer the model never read: the team corpus without one corpus-v2 writer (and without the public
/// data, to stay fast) trains a model as the trainer does, and that model, served as shipped, scores the writer's items.
/// The bars are fixed numbers, not thresholds chosen to pass: a change that makes the model learn its writers' style
/// instead of what an advert is fails here.
/// </summary>
public sealed class HeldOutWriterTests
{
    public const string HeldOut = "channel";

    [Fact]
    public async Task ModelTrainedWithoutAWriter_FindsThatWritersAdverts_AndLeavesItsHardNegatives()
    {
        var heldOutFile = Path.Combine(TestPaths.Corpus, "v2", HeldOut + ".jsonl");
        Assert.True(File.Exists(heldOutFile), $"{heldOutFile} is missing");
        var corpus = Directory.CreateTempSubdirectory("cw-heldout-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(TestPaths.Corpus, "*.jsonl", SearchOption.AllDirectories).Where(f => f != heldOutFile))
            {
                File.Copy(file, Path.Combine(corpus, Path.GetRelativePath(TestPaths.Corpus, file).Replace('/', '_')));
            }

            var options = new ModelTrainerOptions
            {
                CorpusDirectory = corpus,
                DataDirectory = null,
                LexiconPath = TestPaths.Lexicon,
                OutputPath = Path.Combine(corpus, "heldout.model.zip"),
                Clock = new FixedClock(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero)),
            };
            await ModelTrainer.TrainAsync(options);
            var classifier = LinearTextClassifier.Load(options.OutputPath);

            var rows = File.ReadLines(heldOutFile).Select(l => JsonDocument.Parse(l).RootElement)
                .Select(r => new EvaluationRow(r.GetProperty("label").GetString()!, r.GetProperty("lang").GetString(),
                    classifier.Classify(new ClassifierInput(r.GetProperty("text").GetString()!))))
                .ToList();
            var report = ModelEvaluation.Evaluate(rows, classifier.ReviewThreshold);
            Assert.True(rows.Count >= 900, $"{rows.Count} items");

            // The label is what the queue does: harmful F1 from labels equals harmful F1 at the review threshold.
            Assert.Equal(report.HarmfulRecall, report.HarmfulRecallAtThreshold, 6);
            Assert.True(report.HarmfulF1 >= 0.80, $"harmful F1 {report.HarmfulF1:F3} on {HeldOut} (bar 0.80)");
            Assert.True(report.HarmfulPrAuc >= 0.88, $"PR-AUC {report.HarmfulPrAuc:F3} on {HeldOut} (bar 0.88)");
            Assert.True(report.BenignFalsePositiveRateAtThreshold <= 0.35,
                $"benign FPR {report.BenignFalsePositiveRateAtThreshold:F3} on {HeldOut}'s hard negatives (bar 0.35)");
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }
}
