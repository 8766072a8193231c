using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

[Collection(SampleModelFixture.Collection)]
public sealed class ModelEvaluationTests(SampleModelFixture sample)
{
    private static EvaluationRow Row(string actual, string predicted, double score, string? lang = null) =>
        new(actual, lang, new Prediction(predicted, score, new Dictionary<string, double>()));

    [Fact]
    public void RocAuc_AndAveragePrecision_MatchHandWorkedValues()
    {
        bool[] positive = [true, false, true, false];
        double[] scores = [0.9, 0.8, 0.7, 0.1];
        // Pairs (pos, neg): (0.9,0.8) (0.9,0.1) (0.7,0.8)x (0.7,0.1) → 3/4.
        Assert.Equal(0.75, ModelEvaluation.RocAuc(positive, scores), 6);
        // Precision at each positive: 1/1 and 2/3 → AP = (1 + 2/3) / 2.
        Assert.Equal((1 + 2.0 / 3) / 2, ModelEvaluation.AveragePrecision(positive, scores), 6);
        Assert.Equal(0.5, ModelEvaluation.RocAuc([true, false], [0.5, 0.5]), 6); // ties count half
    }

    [Fact]
    public void Calibration_IsZero_WhenScoresMatchRates()
    {
        var (ece, bins) = ModelEvaluation.Calibration([true, false, true, false], [0.55, 0.55, 0.55, 0.55]);
        Assert.Equal(0.05, ece, 6);
        Assert.Equal(4, Assert.Single(bins).Count);
    }

    [Fact]
    public void Evaluate_CountsTheConfusionMatrix_AndThresholdFigures()
    {
        var rows = new List<EvaluationRow>
        {
            Row(Labels.SmugglingService, Labels.SmugglingService, 0.9, "en"),
            Row(Labels.SmugglingService, Labels.Benign, 0.3, "ar"),
            Row(Labels.DocumentFraud, Labels.SmugglingService, 0.8, "ar"),
            Row(Labels.Benign, Labels.Benign, 0.1, "en"),
            Row(Labels.Benign, Labels.FakeJobOffer, 0.6, "en"),
            Row(Labels.Benign, Labels.Benign, 0.25, "en"),
        };
        var r = ModelEvaluation.Evaluate(rows, threshold: 0.2);
        Assert.Equal(1, r.Confusion[0][0]);
        Assert.Equal(1, r.Confusion[0][3]);
        Assert.Equal(1, r.Confusion[1][0]);
        Assert.Equal(2, r.Confusion[3][3]);
        Assert.Equal(1, r.Confusion[3][2]);
        var smuggling = r.PerLabel[0];
        Assert.Equal(0.5, smuggling.Precision, 4);
        Assert.Equal(0.5, smuggling.Recall, 4);
        Assert.Equal(1.0, r.HarmfulRecallAtThreshold, 4); // 0.9, 0.3, 0.8 ≥ 0.2
        Assert.Equal(0.6667, r.BenignFalsePositiveRateAtThreshold, 4); // 0.6 and 0.25 of three benign
        Assert.Equal(["ar", "en"], r.PerLanguage.Select(l => l.Language));
        Assert.Equal(2, r.PerLanguage[0].Harmful);
        Assert.Contains("confusion", ModelEvaluation.Format(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateFile_ReadsJsonLinesAndCsv_AndSkipsBadRecords()
    {
        var dir = Directory.CreateTempSubdirectory("cw-eval-").FullName;
        try
        {
            var jsonl = Path.Combine(dir, "set.jsonl");
            await File.WriteAllLinesAsync(jsonl,
            [
                """{"id":"1","text":"Boat to UK, 2000 euro, WhatsApp +44 7700 900412","label":"smuggling_service","lang":"en"}""",
                """{"id":2,"text":"Ferry timetable for Dover","label":"benign","lang":"en\u001b[31m"}""",
                """{"text":"no label here"}""",
                "not json",
                """{"text":"x","label":"spam"}""",
            ]);
            var csv = Path.Combine(dir, "set.csv");
            await File.WriteAllTextAsync(csv, "id,text,label,lang\n1,\"Boat to UK, 2000 euro\",smuggling_service,en\n2,Ferry timetable,benign,fr\n");

            {
                var model = LinearTextClassifier.Load(sample.ModelPath);
                var fromJson = await EvaluationFile.EvaluateAsync(jsonl, model, null, CancellationToken.None);
                Assert.Equal(2, fromJson.Report.Count);
                Assert.Equal(3, fromJson.Skipped);
                Assert.Equal(["line 3: label must be one of smuggling_service, document_fraud, fake_job_offer, benign", "line 4: not valid JSON",
                    "line 5: label must be one of smuggling_service, document_fraud, fake_job_offer, benign"], fromJson.Problems);
                Assert.All(fromJson.Report.PerLanguage, l => Assert.Matches("^[A-Za-z0-9_-]+$", l.Language)); // escape codes dropped

                var fromCsv = await EvaluationFile.EvaluateAsync(csv, model, null, CancellationToken.None);
                Assert.Equal(2, fromCsv.Report.Count);
                Assert.Equal(["en", "fr"], fromCsv.Report.PerLanguage.Select(l => l.Language));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
