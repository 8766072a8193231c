using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

[Collection(SampleModelFixture.Collection)]
public sealed class ModelTrainerTests(SampleModelFixture sample)
{
    [Fact]
    public async Task Train_IsDeterministic_ForTheSameSeedAndData()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-determinism-{Guid.NewGuid():N}.zip");
        try
        {
            var again = await ModelTrainer.TrainAsync(SampleModelFixture.SampleOptions(path));
            Assert.Equal(Json(sample.Result.Metadata.DevMetrics), Json(again.Metadata.DevMetrics));
            Assert.Equal(sample.Result.Metadata.ModelVersion, again.Metadata.ModelVersion);
            Assert.Equal(sample.Result.Metadata.ReviewThreshold, again.Metadata.ReviewThreshold);

            var first = LinearTextClassifier.Load(sample.ModelPath).Classify(new ClassifierInput("boat to UK, 2000 euro, whatsapp"));
            var second = LinearTextClassifier.Load(path).Classify(new ClassifierInput("boat to UK, 2000 euro, whatsapp"));
            Assert.Equal(first.Score, second.Score, 6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Train_ReportsRealDevMetrics_OnTheSample()
    {
        var m = sample.Result.Metadata;
        Assert.Equal(128, m.TrainCount + m.DevCount);
        Assert.True(m.DevCount > 0);
        var dev = m.DevMetrics.Report;
        Assert.Equal(m.DevCount, dev.Count);
        Assert.Equal(Labels.All, dev.PerLabel.Select(l => l.Label));
        Assert.InRange(dev.MacroF1, 0.0, 1.0);
        Assert.InRange(m.ReviewThreshold, 0.0, 1.0);
        Assert.Equal(m.ReviewThreshold, dev.ReviewThreshold);
        Assert.Equal(m.DevCount, dev.Confusion.Sum(row => row.Sum()));
        Assert.InRange(dev.ExpectedCalibrationError, 0.0, 1.0);
        Assert.Equal(m.DevCount, dev.Reliability.Sum(b => b.Count));
    }

    [Fact]
    public void Train_ChecksTheExportedWeights_AgainstMlNet_OnDev()
    {
        // The trainer scores dev through the serving path (FeatureHasher.Score over the exported weights) and through
        // the ML.NET model, and fails above 1e-5; the largest difference is recorded.
        var m = sample.Result.Metadata;
        Assert.InRange(m.ScoringCheckMaxDifference, 0.0, 1e-5);
        Assert.Equal(FeatureHasher.Description, m.Features);
    }

    [Fact]
    public async Task Train_WithCompare_TrainsEveryTrainer_AndKeepsTheChosenOne()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-compare-{Guid.NewGuid():N}.zip");
        try
        {
            var options = SampleModelFixture.SampleOptions(path);
            options.CompareTrainers = true;
            var result = await ModelTrainer.TrainAsync(options);
            var comparison = result.Metadata.TrainerComparison!;
            Assert.Equal(["sdca", "lbfgs"], comparison.Select(c => c.Trainer));
            Assert.Equal("lbfgs", result.Metadata.Trainer);
            Assert.Equal(Json(sample.Result.Metadata.DevMetrics), Json(result.Metadata.DevMetrics));
            Assert.Contains("trainer comparison on dev", result.Report);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Train_WithTreeComparison_AddsLightGbmAndFastTree_WithoutChangingTheSavedModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-trees-{Guid.NewGuid():N}.zip");
        try
        {
            var options = SampleModelFixture.SampleOptions(path);
            options.CompareTrainers = true;
            options.CompareTreeTrainers = true;
            var result = await ModelTrainer.TrainAsync(options);
            var comparison = result.Metadata.TrainerComparison!;
            Assert.Equal(["sdca", "lbfgs", "lightgbm", "fasttree"], comparison.Select(c => c.Trainer));
            Assert.Equal([true, true, false, false], comparison.Select(c => c.Servable));
            Assert.All(comparison, c =>
            {
                Assert.InRange(c.MacroF1, 0.0, 1.0);
                Assert.InRange(c.HarmfulF1, 0.0, 1.0);
                Assert.InRange(c.HarmfulPrAuc, 0.0, 1.0);
                Assert.InRange(c.ReviewThreshold, 0.0, 1.0);
                Assert.InRange(c.HarmfulRecallAtThreshold, 0.0, 1.0);
                Assert.InRange(c.BenignFalsePositiveRateAtThreshold, 0.0, 1.0);
                Assert.InRange(c.ExpectedCalibrationError, 0.0, 1.0);
            });
            Assert.Contains("comparison only", result.Report);
            Assert.Equal("lbfgs", result.Metadata.Trainer);
            Assert.Equal(WeightsBytes(sample.ModelPath), WeightsBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TreeColumns_KeepTheMostFrequentColumns_InColumnOrder()
    {
        SparseFeatures Row(params int[] columns) => new(columns, columns.Select(_ => 0.5f).ToArray());
        // Document frequency: 7 → 3, 9 → 3, 3 → 2 (its zero value in the last row does not count), 5 → 1 (below the floor of 2).
        var rows = new[] { Row(3, 7, 9), Row(3, 7), Row(5, 7, 9), new SparseFeatures([3, 9], [0f, 0.5f]) };

        var (one, oneWidth) = ModelTrainer.TreeColumns(rows, 10, 1);
        Assert.Equal(1, oneWidth);
        Assert.Equal([-1, 0, -1, -1], new[] { one[3], one[7], one[9], one[5] }); // tie at df 3: the lower column wins

        var (two, twoWidth) = ModelTrainer.TreeColumns(rows, 10, 2);
        Assert.Equal(2, twoWidth);
        Assert.Equal([-1, 0, 1, -1], new[] { two[3], two[7], two[9], two[5] });

        var (all, allWidth) = ModelTrainer.TreeColumns(rows, 10, 100);
        Assert.Equal(3, allWidth);
        Assert.Equal([0, 1, 2, -1], new[] { all[3], all[7], all[9], all[5] });
    }

    private static byte[] WeightsBytes(string modelPath)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(modelPath);
        using var stream = zip.GetEntry("weights.bin")!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void ModelFile_RoundTrips_ModelAndMetadata()
    {
        var metadata = ModelFile.ReadMetadata(sample.ModelPath);
        Assert.Equal(sample.Result.Metadata.ModelVersion, metadata.ModelVersion);
        Assert.Matches(@"^cw-lbfgs-20261128-[0-9a-f]{7}$", metadata.ModelVersion);
        Assert.Equal("lbfgs", metadata.Trainer);
        Assert.Equal(1, metadata.Seed);
        Assert.Equal(Labels.All, metadata.Labels);
        Assert.Equal(4, metadata.TrainingFiles.Count);
        Assert.All(metadata.TrainingFiles, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Equal(Json(sample.Result.Metadata.DevMetrics), Json(metadata.DevMetrics));

        var classifier = LinearTextClassifier.Load(sample.ModelPath);
        Assert.Equal(metadata.ModelVersion, classifier.ModelVersion);
        Assert.Equal(metadata.ReviewThreshold, classifier.ReviewThreshold);
        var p = classifier.Classify(new ClassifierInput("Real UK passport registered in the database, telegram @docs"));
        Assert.Equal(Labels.All.Order(), p.Scores.Keys.Order());
        Assert.Equal(1.0, p.Scores.Values.Sum(), 3);
        Assert.Equal(1.0 - p.Scores[Labels.Benign], p.Score, 6);
        Assert.True(new FileInfo(sample.ModelPath).Length < 15 * 1024 * 1024);
    }

    [Fact]
    public void ClassifyBatch_MatchesClassify_AndIsThreadSafe()
    {
        var classifier = LinearTextClassifier.Load(sample.ModelPath);
        var inputs = File.ReadLines(Path.Combine(TestPaths.SampleCorpus, "benign.jsonl"))
            .Concat(File.ReadLines(Path.Combine(TestPaths.SampleCorpus, "smuggling_service.jsonl")))
            .Select(l => new ClassifierInput(JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!))
            .ToList();
        var many = Enumerable.Range(0, 10).SelectMany(_ => inputs).ToList(); // large enough for the Transform path

        var single = inputs.Select(classifier.Classify).ToList();
        var batch = classifier.ClassifyBatch(inputs);
        var bigBatch = classifier.ClassifyBatch(many);
        var parallel = new Prediction[many.Count];
        Parallel.For(0, many.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = classifier.Classify(many[i]));

        for (var i = 0; i < many.Count; i++)
        {
            var expected = single[i % inputs.Count];
            Assert.Equal(expected.Label, bigBatch[i].Label);
            Assert.Equal(expected.Score, bigBatch[i].Score, 5);
            Assert.Equal(expected.Score, parallel[i].Score, 5);
            if (i < inputs.Count)
            {
                Assert.Equal(expected.Score, batch[i].Score, 5);
            }
        }
    }

    [Fact]
    public async Task Train_Fails_WithOneLabelOnly()
    {
        var dir = Directory.CreateTempSubdirectory("cw-onelabel-").FullName;
        try
        {
            File.Copy(Path.Combine(TestPaths.SampleCorpus, "benign.jsonl"), Path.Combine(dir, "benign.jsonl"));
            var options = SampleModelFixture.SampleOptions(Path.Combine(dir, "m.zip"));
            options.CorpusDirectory = dir;
            await Assert.ThrowsAsync<InvalidOperationException>(() => ModelTrainer.TrainAsync(options));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PublicFiles_AreTrainSplitsOnly() =>
        Assert.All(TrainingData.PublicFiles, f => Assert.EndsWith("_train.csv", f, StringComparison.Ordinal));

    [Fact]
    public void LoadPublic_KeepsEverySib200Pair_GroupedBySentence_AndAlikeSentencesTogether()
    {
        var dir = Directory.CreateTempSubdirectory("cw-sib-").FullName;
        try
        {
            var lines = from lang in new[] { "fra_Latn", "ary_Arab", "tur_Latn" }
                        from index in Enumerable.Range(1, 4)
                        select $"{lang},{index},science,\"{new[] { "Photons", "Comets", "Glaciers", "Tides" }[index - 1]} en {lang}, avec une virgule\",train";
            File.WriteAllText(Path.Combine(dir, "sib200_benign_multilingual_train.csv"),
                "lang,index_id,category,text,sib_split\n" + string.Join("\n", lines) + "\n"
                + "fra_Latn,5,travel,Les voyagistes ont souvent des accords avec des hôtels précis,train\n"
                + "fra_Latn,6,travel,Les voyagistes ont souvent des accords avec des hôtels précis et des guides,train\n");

            var files = new List<TrainingFileInfo>();
            var rows = TrainingData.LoadPublic(dir, files, _ => { });

            Assert.Equal(14, rows.Count);
            Assert.All(rows, r => Assert.Equal(Labels.Benign, r.Label));
            // One group per sentence across its languages; sentences 5 and 6 open alike, so they share one.
            Assert.Equal(5, rows.Select(r => r.GroupKey).Distinct().Count());
            Assert.Single(rows.Where(r => r.Id.EndsWith(":5", StringComparison.Ordinal) || r.Id.EndsWith(":6", StringComparison.Ordinal)).Select(r => r.GroupKey).Distinct());
            Assert.Equal(14, files.Single(f => f.Name == "sib200_benign_multilingual_train.csv").RowsUsed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DevSplit_TakesAboutOneFifth_ByGroupKey()
    {
        var dev = Enumerable.Range(0, 10_000).Count(i => ModelTrainer.IsDev("key " + i));
        Assert.InRange(dev, 1_800, 2_200);
    }

    [Fact]
    public async Task Train_LeavingOneWriterOut_ScoresEachWriterWithoutIt_AndTakesTheThresholdFromThose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-lowo-{Guid.NewGuid():N}.zip");
        try
        {
            var options = SampleModelFixture.SampleOptions(path);
            options.LeaveOneWriterOut = true;
            var result = await ModelTrainer.TrainAsync(options);
            var folds = result.Metadata.LeaveOneWriterOut!;
            Assert.Equal(["sample-a", "sample-b"], folds.Writers.Select(w => w.Writer));
            Assert.Equal(128, folds.Writers.Sum(w => w.Count));
            Assert.All(folds.Writers, w =>
            {
                Assert.InRange(w.HarmfulF1, 0.0, 1.0);
                Assert.InRange(w.HarmfulPrAuc, 0.0, 1.0);
                Assert.InRange(w.BenignFalsePositiveRate, 0.0, 1.0);
            });
            Assert.Equal(folds.Writers.Min(w => w.HarmfulF1), folds.WorstHarmfulF1);
            Assert.Equal(folds.PooledThreshold, result.Metadata.ReviewThreshold);
            Assert.Equal(folds.PooledThreshold, result.Metadata.DevMetrics.Report.ReviewThreshold);
            Assert.Contains("leave-one-writer-out", result.Metadata.ThresholdRule, StringComparison.Ordinal);
            Assert.Contains("leave-one-writer-out", result.Report, StringComparison.Ordinal);
            Assert.Equal(WeightsBytes(sample.ModelPath), WeightsBytes(path)); // the folds do not change the shipped weights
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Train_WithParallelFolds_GivesTheSameOutOfFoldScoresAndModel()
    {
        var paths = Enumerable.Range(0, 2).Select(_ => Path.Combine(Path.GetTempPath(), $"cw-par-{Guid.NewGuid():N}")).ToList();
        try
        {
            var results = new List<TrainingResult>();
            foreach (var (path, parallel) in paths.Zip([1, 2]))
            {
                var options = SampleModelFixture.SampleOptions(path + ".zip");
                options.LeaveOneWriterOut = true;
                options.ParallelFolds = parallel;
                options.OutOfFoldPath = path + ".jsonl";
                results.Add(await ModelTrainer.TrainAsync(options));
            }

            Assert.Equal(File.ReadAllBytes(paths[0] + ".jsonl"), File.ReadAllBytes(paths[1] + ".jsonl"));
            Assert.Equal(WeightsBytes(paths[0] + ".zip"), WeightsBytes(paths[1] + ".zip"));
            Assert.Equal(
                System.Text.Json.JsonSerializer.Serialize(results[0].Metadata.LeaveOneWriterOut),
                System.Text.Json.JsonSerializer.Serialize(results[1].Metadata.LeaveOneWriterOut));

            var invalid = SampleModelFixture.SampleOptions(paths[0] + ".zip");
            invalid.ParallelFolds = 0;
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(invalid));
        }
        finally
        {
            foreach (var path in paths)
            {
                File.Delete(path + ".zip");
                File.Delete(path + ".jsonl");
            }
        }
    }

    [Fact]
    public void WriterGroups_DealEveryWriterOnce_LargestFirst_ToTheSmallestGroup()
    {
        // Rows per writer: a 50, b 40, c 30, d 20, e 10, f 10; public rows (no writer) are never dealt.
        var sizes = new Dictionary<string, int> { ["a"] = 50, ["b"] = 40, ["c"] = 30, ["d"] = 20, ["e"] = 10, ["f"] = 10 };
        var rows = sizes.SelectMany(p => Enumerable.Range(0, p.Value).Select(i => new LabeledText($"{p.Key}{i}", "t", "x", Labels.Benign, $"{p.Key}{i}", 1f, Writer: p.Key)))
            .Append(new LabeledText("public", "sib", "x", Labels.Benign, "public", 1f)).ToList();

        var groups = WriterFolds.Group([.. sizes.Keys], rows, 3);

        // a→1 (50), b→2 (40), c→3 (30), d→3 (50), e→2 (50), f→1 (60): every writer once, groups within one writer's size.
        Assert.Equal([["a", "f"], ["b", "e"], ["c", "d"]], groups.Select(g => g.ToArray()).ToArray());
        Assert.Equal(2, WriterFolds.Group(["a", "b"], rows, 5).Count); // never more groups than writers
    }

    [Fact]
    public async Task Train_WithWriterGroups_ScoresEveryWriterWithoutIt_AndRecordsTheGroups()
    {
        var paths = Enumerable.Range(0, 2).Select(_ => Path.Combine(Path.GetTempPath(), $"cw-grp-{Guid.NewGuid():N}")).ToList();
        try
        {
            var results = new List<TrainingResult>();
            foreach (var (path, groups) in paths.Zip([0, 2]))
            {
                var options = SampleModelFixture.SampleOptions(path + ".zip");
                options.LeaveOneWriterOut = true;
                options.WriterGroups = groups;
                options.OutOfFoldPath = path + ".jsonl";
                results.Add(await ModelTrainer.TrainAsync(options));
            }

            // Two writers in two groups are one writer per fold: the same out-of-fold scores as leaving one out.
            Assert.Equal(File.ReadAllBytes(paths[0] + ".jsonl"), File.ReadAllBytes(paths[1] + ".jsonl"));
            Assert.Null(results[0].Metadata.LeaveOneWriterOut!.WriterGroups);
            Assert.Equal(2, results[1].Metadata.LeaveOneWriterOut!.WriterGroups);
            Assert.NotEqual(results[0].Metadata.ModelVersion, results[1].Metadata.ModelVersion);

            var invalid = SampleModelFixture.SampleOptions(paths[0] + ".zip");
            invalid.WriterGroups = 2; // without leave-one-writer-out
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(invalid));
            invalid.LeaveOneWriterOut = true;
            invalid.WriterGroups = 1;
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(invalid));
        }
        finally
        {
            foreach (var path in paths)
            {
                File.Delete(path + ".zip");
                File.Delete(path + ".jsonl");
            }
        }
    }

    [Fact]
    public async Task Train_WithAllRows_SavesWeightsTrainedOnDevToo_AndTheTwinsDevFigures()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-all-{Guid.NewGuid():N}.zip");
        try
        {
            var options = SampleModelFixture.SampleOptions(path);
            options.AllRows = true;
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(options)); // the threshold would be chosen on trained rows
            options.LeaveOneWriterOut = true;
            options.FoldWriters = ["sample-b"];
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(options));
            options.FoldWriters = null;

            var result = await ModelTrainer.TrainAsync(options);
            var metadata = result.Metadata;
            Assert.Equal(sample.Result.Metadata.TrainCount + sample.Result.Metadata.DevCount, metadata.AllRowsCount);
            Assert.Equal(sample.Result.Metadata.TrainCount, metadata.TrainCount);
            Assert.Equal(sample.Result.Metadata.DevMetrics.Report.HarmfulPrAuc, metadata.DevMetrics.Report.HarmfulPrAuc); // the twin's dev figures
            Assert.Equal(metadata.LeaveOneWriterOut!.PooledThreshold, metadata.ReviewThreshold);
            Assert.NotEqual(WeightsBytes(sample.ModelPath), WeightsBytes(path));
            Assert.InRange(metadata.ScoringCheckMaxDifference, 0, 1e-5);
            Assert.Contains("all ", result.Report, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Train_LeavingOutChosenWriters_HoldsOutOnlyThose_AndWritesTheirOutOfFoldScores()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-lowo-{Guid.NewGuid():N}.zip");
        var oof = Path.ChangeExtension(path, ".jsonl");
        try
        {
            var options = SampleModelFixture.SampleOptions(path);
            options.LeaveOneWriterOut = true;
            options.FoldWriters = ["sample-b"];
            options.OutOfFoldPath = oof;
            var result = await ModelTrainer.TrainAsync(options);
            var folds = result.Metadata.LeaveOneWriterOut!;
            var only = Assert.Single(folds.Writers);
            Assert.Equal("sample-b", only.Writer);

            var lines = File.ReadAllLines(oof).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(only.Count, lines.Count);
            Assert.All(lines, l =>
            {
                Assert.Equal("sample-b", l.GetProperty("writer").GetString());
                Assert.InRange(l.GetProperty("score").GetDouble(), 0.0, 1.0);
                Assert.NotEqual("benign", l.GetProperty("harmful_label").GetString());
            });
            var harmful = lines.Select(l => l.GetProperty("label").GetString() != "benign").ToArray();
            var scores = lines.Select(l => l.GetProperty("score").GetDouble()).ToArray();
            Assert.Equal(WriterFolds.BestF1Threshold(harmful, scores), folds.PooledThreshold, 3);

            options.FoldWriters = ["nobody"];
            await Assert.ThrowsAsync<ArgumentException>(() => ModelTrainer.TrainAsync(options));
        }
        finally
        {
            File.Delete(path);
            File.Delete(oof);
        }
    }

    [Fact]
    public void BestF1Threshold_IsTheScoreWithTheBestHarmfulF1()
    {
        // Scores high to low: H H B H B B. Flagging the top 2 gives F1 2·2/(2+3) = 0.8; top 4 gives 2·3/(4+3) = 0.857; all 6 give 0.667.
        bool[] harmful = [true, true, false, true, false, false];
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.3, 0.2];
        Assert.Equal(0.6, WriterFolds.BestF1Threshold(harmful, scores), 6);
        Assert.Equal(0.5, WriterFolds.BestF1Threshold([false, false], [0.4, 0.6]), 6);
    }

    [Fact]
    public void ChooseThreshold_KeepsTargetRecall()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new LabeledText($"{i}", "t", "x", i < 10 ? Labels.SmugglingService : Labels.Benign, $"{i}", 1f)).ToList();
        var scores = Enumerable.Range(0, 20).Select(i => new Prediction(Labels.Benign, i < 10 ? 0.5 + i * 0.05 : i * 0.01,
            new Dictionary<string, double>())).ToList();
        var t = DevEvaluation.ChooseThreshold(rows, scores, 0.9);
        var recall = Enumerable.Range(0, 10).Count(i => scores[i].Score >= t) / 10.0;
        Assert.True(recall >= 0.9);
        Assert.Equal(0.55, t, 6);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
