using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentWatch.Core.Classification;
using Microsoft.ML;

namespace ContentWatch.Classifier;

/// <summary>
/// Builds the model file in plain steps: 1 load, 2 split, 3 weight and featurize, 4 train, 5 evaluate on dev
/// and choose the review threshold, 6 save. Deterministic for a given seed and data.
/// </summary>
public static class ModelTrainer
{
    private const int Steps = 6;

    /// <summary>Split salt: the public files already used <c>sha256(key) % 5 == 0</c> for their test split, so dev needs another hash.</summary>
    private const string DevSalt = "cw-dev-v1|";

    public static Task<TrainingResult> TrainAsync(ModelTrainerOptions options, IProgress<TrainingProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Task.Run(() => Train(options, progress, ct), ct);
    }

    /// <summary>True when a row with this group key belongs to the dev split (~20%).</summary>
    internal static bool IsDev(string groupKey) => TrainingData.HashBucket(DevSalt + groupKey, 5) == 0;

    private static TrainingResult Train(ModelTrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var report = new StringBuilder();
        void Say(int step, string message)
        {
            report.AppendLine(message);
            progress?.Report(new TrainingProgress(step, Steps, message));
        }

        var ml = new MLContext(seed: options.Seed);

        // 1. Load: team corpus + public train splits.
        var files = new List<TrainingFileInfo>();
        var rows = TrainingSplit.LoadRows(options.CorpusDirectory, options.DataDirectory, files, m => Say(1, "warning: " + m));

        Say(1, $"1/6 loaded {rows.Count} rows from {files.Count} files: " + string.Join(", ",
            rows.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        if (rows.Select(r => r.Label).Distinct().Count() < 2)
        {
            throw new InvalidOperationException("Training needs at least two labels in the data.");
        }

        ct.ThrowIfCancellationRequested();

        // 2. Split: grouped by near-duplicate key, ~20% dev.
        var (train, dev) = TrainingSplit.Split(rows);
        Say(2, $"2/6 split: train {train.Count}, dev {dev.Count}");

        // 3. Weight (balance labels, favour the corpus) and featurize.
        var weighted = BalanceWeights(train, options.CorpusWeight);
        var trainView = ml.Data.LoadFromEnumerable(weighted.Select(r => new ModelInput
        {
            Text = TextNormalizer.Normalize(r.Text.Length > TextNormalizer.MaxInputLength ? r.Text[..TextNormalizer.MaxInputLength] : r.Text),
            Label = r.Label,
            Weight = r.Weight,
        }).ToList());
        var labelKey = ClassifierPipeline.LabelToKey(ml).Fit(trainView);
        var keyed = labelKey.Transform(trainView);
        Say(3, $"3/6 featurize: word 1-2-grams 2^{ClassifierPipeline.WordBits} + char 1-{ClassifierPipeline.CharNgramLength}-grams 2^{ClassifierPipeline.CharBits}");
        ct.ThrowIfCancellationRequested();

        // 4. Train.
        var pipeline = ClassifierPipeline.Featurizer(ml).AppendCacheCheckpoint(ml).Append(ClassifierPipeline.Trainer(ml, options.Trainer));
        var model = pipeline.Fit(keyed);
        Say(4, $"4/6 trained {options.Trainer} in {clock.Elapsed.TotalSeconds:F1}s");
        ct.ThrowIfCancellationRequested();

        // 5. Evaluate on dev; choose the review threshold.
        var provisional = new MlTextClassifier(ml, model, "in-training", 0.5, metadata: null);
        var devPredictions = provisional.ClassifyBatch(dev.Select(r => new ClassifierInput(r.Text)).ToList());
        var metrics = DevEvaluation.Evaluate(dev, devPredictions, options.TargetHarmfulRecall);
        Say(5, "5/6 dev evaluation\n" + DevEvaluation.Format(metrics));

        // 6. Save model + metadata.
        var now = options.Clock.GetUtcNow();
        var metadata = new ModelMetadata(
            ModelVersion: $"cw-{options.Trainer}-{now:yyyyMMdd}-{ShortHash(options, files)}",
            Trainer: options.Trainer,
            Seed: options.Seed,
            ReviewThreshold: metrics.ReviewThreshold,
            Labels: Labels.All,
            TrainingFiles: files,
            TrainCount: train.Count,
            DevCount: dev.Count,
            DevMetrics: metrics,
            TrainedAt: now,
            Features: $"TextNormalizer; word 1-2-gram hash 2^{ClassifierPipeline.WordBits}; char 1-{ClassifierPipeline.CharNgramLength}-gram hash 2^{ClassifierPipeline.CharBits}; L2 per block");
        ModelFile.Save(options.OutputPath, ml, model, keyed.Schema, metadata);
        var bytes = new FileInfo(options.OutputPath).Length;
        Say(6, $"6/6 saved {options.OutputPath} ({bytes / 1024.0 / 1024.0:F2} MB) as {metadata.ModelVersion}, review threshold {metadata.ReviewThreshold:F4}, {clock.Elapsed.TotalSeconds:F1}s");
        return new TrainingResult(options.OutputPath, metadata, clock.Elapsed, bytes, report.ToString());
    }

    /// <summary>
    /// Each harmful label gets the same total weight and benign twice that (it is most of real traffic);
    /// within a label, corpus rows weigh <paramref name="corpusWeight"/> times public rows. Mean weight is 1.
    /// </summary>
    internal static List<LabeledText> BalanceWeights(List<LabeledText> rows, float corpusWeight)
    {
        var baseWeight = rows.Select(r => r.Source == TrainingData.SourceCorpus ? corpusWeight : 1f).ToArray();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            totals[rows[i].Label] = totals.GetValueOrDefault(rows[i].Label) + baseWeight[i];
        }

        var shares = totals.Keys.ToDictionary(l => l, l => l == Labels.Benign ? 2.0 : 1.0, StringComparer.Ordinal);
        var shareSum = shares.Values.Sum();
        var result = new List<LabeledText>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var label = rows[i].Label;
            var w = baseWeight[i] * (shares[label] / shareSum) * rows.Count / totals[label];
            result.Add(rows[i] with { Weight = (float)w });
        }

        return result;
    }

    private static string ShortHash(ModelTrainerOptions options, List<TrainingFileInfo> files)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{options.Trainer}|{options.Seed}|{options.CorpusWeight}|{options.TargetHarmfulRecall}|{string.Join(",", files.Select(f => f.Name + ":" + f.Sha256))}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..7];
    }
}
