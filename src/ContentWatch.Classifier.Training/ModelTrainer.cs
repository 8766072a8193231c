using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentWatch.Core.Classification;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ContentWatch.Classifier.Training;

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

        // 1. Load: the concept lexicon, team corpus + public train splits.
        var lexicon = string.IsNullOrWhiteSpace(options.LexiconPath) ? null : ConceptLexicon.Load(ModelFile.ResolvePath(options.LexiconPath));
        var files = new List<TrainingFileInfo>();
        var rows = TrainingSplit.LoadRows(options.CorpusDirectory, options.DataDirectory, files, m => Say(1, "warning: " + m));

        // Officers' decisions: after the corpus and public rows, without the texts those hold.
        DecisionSetInfo? decisions = null;
        if (options.DecisionsPath is { } decisionsPath)
        {
            var read = DecisionExamples.Load(decisionsPath, m => Say(1, "warning: " + m));
            var prepared = DecisionExamples.Prepare(read, rows, options, options.DecisionsSource ?? Path.GetFileName(decisionsPath));
            decisions = prepared.Info;
            rows.AddRange(prepared.Rows);
            files.Add(new TrainingFileInfo("desk/" + Path.GetFileName(decisionsPath), TrainingData.Sha256File(decisionsPath), prepared.Rows.Count));
            Say(1, DescribeDecisions(decisions));
        }

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

        // 3. Normalise; leave-one-writer-out when asked (it sets the review threshold); weight (balance labels, favour
        // the corpus) and featurize. The vocabulary and its idf are learnt on the train split only and stored in the model.
        var normalizedOf = new Dictionary<LabeledText, string>(ReferenceEqualityComparer.Instance);
        foreach (var row in rows)
        {
            normalizedOf[row] = TextNormalizer.Normalize(row.Text, lexicon);
        }

        WriterFoldReport? folds = null;
        if (options.LeaveOneWriterOut)
        {
            Say(3, "3/6 leave-one-writer-out");
            folds = WriterFolds.Run(options, rows, rows.Select(r => normalizedOf[r]).ToList(), m => Say(3, m), ct);
            Say(3, WriterFolds.Format(folds));
        }

        var (vocabulary, trainFeatures, trainRows) = LearnerRows(train, train.Select(r => normalizedOf[r]).ToList(), options);

        var devNormalized = dev.Select(r => normalizedOf[r]).ToList();
        var devFeatures = devNormalized.Select(t => FeatureHasher.Featurize(t, vocabulary)).ToList();
        Say(3, $"3/6 featurized {trainRows.Count + devFeatures.Count} rows over {vocabulary.Count} features: {FeatureHasher.Description} ({clock.Elapsed.TotalSeconds:F1}s)");
        ct.ThrowIfCancellationRequested();

        // 4–5. Train each trainer asked for, export it, check the export against ML.NET on dev, evaluate on dev.
        var trainers = options.CompareTrainers
            ? ClassifierPipeline.Trainers.OrderBy(t => t == options.Trainer ? 1 : 0).ToList()
            : [options.Trainer];
        var comparison = new List<TrainerComparison>();
        Candidate? chosen = null;
        foreach (var trainer in trainers)
        {
            var candidate = TrainOne(options, trainer, vocabulary, trainRows, dev, devNormalized, devFeatures, folds?.PooledThreshold);
            Say(4, $"4/6 trained {trainer} in {candidate.Seconds:F1}s; exported weights match ML.NET on dev within {candidate.MaxDifference:E1}");
            comparison.Add(Compare(trainer, candidate.Seconds, candidate.Metrics, servable: true));
            chosen = candidate;
            ct.ThrowIfCancellationRequested();
        }

        // Tree trainers, for the comparison only: they see the columns in most train texts, not the whole vocabulary.
        if (options.CompareTreeTrainers)
        {
            foreach (var trainer in ClassifierPipeline.TreeTrainers)
            {
                var (columns, width) = TreeColumns(trainFeatures, vocabulary.Count, ClassifierPipeline.TreeInputColumns(trainer));
                var treeTrain = trainRows.Select((r, i) => Project(trainFeatures[i], columns, width, r.Label, r.Weight)).ToList();
                var treeDev = dev.Select((r, i) => Project(devFeatures[i], columns, width, r.Label, 1f)).ToList();
                var (metrics, seconds) = TrainTree(options, trainer, width, treeTrain, dev, treeDev);
                Say(4, $"4/6 trained {trainer} on {width} columns in {seconds:F1}s (comparison only: not servable)");
                comparison.Add(Compare(trainer, seconds, metrics, servable: false));
                ct.ThrowIfCancellationRequested();
            }
        }

        if (comparison.Count > 1)
        {
            Say(4, FormatComparison(comparison));
        }

        Say(5, "5/6 dev evaluation\n" + DevEvaluation.Format(chosen!.Metrics));

        // The saved model: the one evaluated on dev, or with AllRows its twin trained on every row (as the folds' models
        // are trained on every row of the other writers). The export check still runs on the dev rows.
        var saved = chosen;
        if (options.AllRows)
        {
            var all = train.Concat(dev).ToList();
            var (allVocabulary, _, allRows) = LearnerRows(all, all.Select(r => normalizedOf[r]).ToList(), options);
            var devAll = devNormalized.Select(t => FeatureHasher.Featurize(t, allVocabulary)).ToList();
            saved = TrainOne(options, options.Trainer, allVocabulary, allRows, dev, devNormalized, devAll, folds?.PooledThreshold);
            Say(5, $"5/6 trained the saved {options.Trainer} model on all {all.Count} rows in {saved.Seconds:F1}s; exported weights match ML.NET within {saved.MaxDifference:E1}");
        }

        // 6. Save model + metadata.
        var now = options.Clock.GetUtcNow();
        var metadata = new ModelMetadata(
            ModelVersion: $"cw-{options.Trainer}-{now:yyyyMMdd}-{ShortHash(options, files, lexicon is null ? null : Sha256Text(lexicon.Json))}",
            Trainer: options.Trainer,
            Seed: options.Seed,
            ReviewThreshold: chosen.Metrics.Report.ReviewThreshold,
            Labels: Labels.All,
            TrainingFiles: files,
            TrainCount: train.Count,
            DevCount: dev.Count,
            DevMetrics: chosen.Metrics,
            TrainedAt: now,
            Features: FeatureHasher.Description,
            TrainingSeconds: Math.Round(saved.Seconds, 1),
            ScoringCheckMaxDifference: saved.MaxDifference,
            TrainerComparison: comparison.Count > 1 ? comparison : null,
            Lexicon: lexicon is null ? null : new LexiconInfo(lexicon.Version, Sha256Text(lexicon.Json), lexicon.Concepts.Count, lexicon.Languages.Count),
            LeaveOneWriterOut: folds,
            ThresholdRule: folds is null
                ? $"dev split: highest score keeping harmful recall >= {options.TargetHarmfulRecall}"
                : "leave-one-writer-out: best harmful F1 over all writers' out-of-fold scores",
            Decisions: decisions,
            AllRowsCount: options.AllRows ? train.Count + dev.Count : null);
        ModelFile.Save(options.OutputPath, saved.Model, metadata, lexicon);
        var bytes = new FileInfo(options.OutputPath).Length;
        Say(6, $"6/6 saved {options.OutputPath} ({bytes / 1024.0 / 1024.0:F2} MB) as {metadata.ModelVersion}, review threshold {metadata.ReviewThreshold:F4}, {clock.Elapsed.TotalSeconds:F1}s");
        return new TrainingResult(options.OutputPath, metadata, clock.Elapsed, bytes, report.ToString());
    }

    private sealed record Candidate(LinearModel Model, DevMetrics Metrics, double MaxDifference, double Seconds);

    private static Candidate TrainOne(ModelTrainerOptions options, string trainer, FeatureVocabulary vocabulary, List<FeatureRow> trainRows,
        List<LabeledText> dev, List<string> devNormalized, List<SparseFeatures> devFeatures, double? threshold)
    {
        var watch = Stopwatch.StartNew();
        var (ml, labelKey, fitted, linear) = Fit(options, trainer, vocabulary, trainRows);
        var seconds = watch.Elapsed.TotalSeconds;

        // The serving path (FeatureHasher.Score over the exported weights) must give ML.NET's probabilities.
        var devView = labelKey.Transform(ml.Data.LoadFromEnumerable(
            dev.Select((r, i) => FeatureRow.From(devFeatures[i], vocabulary.Count, r.Label, 1f)), FeatureRow.Schema(vocabulary.Count)));
        var mlScores = ml.Data.CreateEnumerable<ModelOutput>(fitted.Transform(devView), reuseRowObject: false).Select(o => o.Score).ToList();
        var maxDifference = 0.0;
        var probabilities = new float[linear.Classes];
        var predictions = new List<Prediction>(dev.Count);
        var benign = Labels.All.ToList().IndexOf(Labels.Benign);
        for (var i = 0; i < dev.Count; i++)
        {
            LinearScorer.Score(devNormalized[i], linear, probabilities);
            for (var k = 0; k < probabilities.Length; k++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(probabilities[k] - mlScores[i][k]));
            }

            predictions.Add(ToPrediction(probabilities, benign));
        }

        if (maxDifference > 1e-5)
        {
            throw new InvalidOperationException($"Exported {trainer} weights differ from ML.NET by {maxDifference:E2} on dev (limit 1e-5).");
        }

        return new Candidate(linear, DevEvaluation.Evaluate(dev, predictions, options.TargetHarmfulRecall, threshold), maxDifference, seconds);
    }

    /// <summary>
    /// <paramref name="rows"/> as the learner reads them: the vocabulary learnt on <paramref name="normalized"/> (their
    /// normalised texts, in order), each text's features, and the rows weighted by <see cref="BalanceWeights"/>.
    /// </summary>
    internal static (FeatureVocabulary Vocabulary, List<SparseFeatures> Features, List<FeatureRow> Rows) LearnerRows(
        List<LabeledText> rows, IReadOnlyList<string> normalized, ModelTrainerOptions options)
    {
        var weighted = BalanceWeights(rows, options.CorpusWeight, options.BenignShare);
        var vocabulary = FeatureVocabulary.Learn(normalized, rows.Select(WriterOf).ToList(), options.MinWriters);
        var features = normalized.Select(t => FeatureHasher.Featurize(t, vocabulary)).ToList();
        return (vocabulary, features, weighted.Select((r, i) => FeatureRow.From(features[i], vocabulary.Count, r.Label, r.Weight)).ToList());
    }

    /// <summary>Trains one servable (linear) trainer on featurised rows and exports its weights.</summary>
    internal static (MLContext Ml, ITransformer LabelKey, MulticlassPredictionTransformer<MaximumEntropyModelParameters> Fitted, LinearModel Linear)
        Fit(ModelTrainerOptions options, string trainer, FeatureVocabulary vocabulary, List<FeatureRow> trainRows)
    {
        var ml = new MLContext(seed: options.Seed);
        var trainView = ml.Data.LoadFromEnumerable(trainRows, FeatureRow.Schema(vocabulary.Count));
        var labelKey = ClassifierPipeline.LabelToKey(ml).Fit(trainView);
        var keyed = ml.Data.Cache(labelKey.Transform(trainView));
        var fitted = (MulticlassPredictionTransformer<MaximumEntropyModelParameters>)ClassifierPipeline.Trainer(ml, trainer, options.L2Regularization).Fit(keyed);
        return (ml, labelKey, fitted, MlNetExport.ToLinearModel(fitted.Model, Labels.All, vocabulary));
    }

    /// <summary>
    /// The input for the tree trainers: the <paramref name="count"/> columns of the featurisation that are non-zero in
    /// the most train rows (document frequency; at least 2, the vocabulary's own floor; ties go to the lower column),
    /// renumbered in column order. Returns each column's new index (-1 when dropped) and how many were kept.
    /// </summary>
    internal static (int[] Columns, int Width) TreeColumns(IReadOnlyList<SparseFeatures> trainFeatures, int dimension, int count)
    {
        var df = new int[dimension];
        foreach (var f in trainFeatures)
        {
            for (var k = 0; k < f.Indices.Length; k++)
            {
                df[f.Indices[k]] += f.Values[k] != 0 ? 1 : 0;
            }
        }

        var kept = Enumerable.Range(0, df.Length).Where(c => df[c] >= 2)
            .OrderByDescending(c => df[c]).ThenBy(c => c).Take(count).Order().ToArray();
        var columns = new int[df.Length];
        Array.Fill(columns, -1);
        for (var n = 0; n < kept.Length; n++)
        {
            columns[kept[n]] = n;
        }

        return (columns, Math.Max(kept.Length, 1));
    }

    /// <summary>The row with only the kept columns (see <see cref="TreeColumns"/>); values are unchanged.</summary>
    private static FeatureRow Project(SparseFeatures features, int[] columns, int width, string label, float weight)
    {
        var indices = new List<int>();
        var values = new List<float>();
        for (var k = 0; k < features.Indices.Length; k++)
        {
            if (columns[features.Indices[k]] >= 0 && features.Values[k] != 0)
            {
                indices.Add(columns[features.Indices[k]]);
                values.Add(features.Values[k]);
            }
        }

        return new FeatureRow
        {
            Features = new VBuffer<float>(width, indices.Count, values.ToArray(), indices.ToArray()),
            Label = label,
            Weight = weight,
        };
    }

    /// <summary>Trains a tree trainer on the projected rows and evaluates ML.NET's own dev probabilities.</summary>
    private static (DevMetrics Metrics, double Seconds) TrainTree(ModelTrainerOptions options, string trainer, int width,
        List<FeatureRow> trainRows, List<LabeledText> dev, List<FeatureRow> devRows)
    {
        var watch = Stopwatch.StartNew();
        var ml = new MLContext(seed: options.Seed);
        var schema = FeatureRow.Schema(width);
        var trainView = ml.Data.LoadFromEnumerable(trainRows, schema);
        var labelKey = ClassifierPipeline.LabelToKey(ml).Fit(trainView);
        var keyed = ml.Data.Cache(labelKey.Transform(trainView));
        var fitted = ClassifierPipeline.TreeTrainer(ml, trainer, options.Seed).Fit(keyed);
        var seconds = watch.Elapsed.TotalSeconds;

        var devView = labelKey.Transform(ml.Data.LoadFromEnumerable(devRows, schema));
        var benign = Labels.All.ToList().IndexOf(Labels.Benign);
        var predictions = ml.Data.CreateEnumerable<ModelOutput>(fitted.Transform(devView), reuseRowObject: false)
            .Select(o => ToPrediction(o.Score, benign)).ToList();
        return (DevEvaluation.Evaluate(dev, predictions, options.TargetHarmfulRecall), seconds);
    }

    private static TrainerComparison Compare(string trainer, double seconds, DevMetrics metrics, bool servable)
    {
        var m = metrics.Report;
        return new TrainerComparison(trainer, Math.Round(seconds, 1), m.MacroF1, m.HarmfulF1, m.HarmfulPrAuc,
            m.ReviewThreshold, m.HarmfulRecallAtThreshold, m.BenignFalsePositiveRateAtThreshold, m.ExpectedCalibrationError, servable);
    }

    /// <summary>The prediction (without evidence) for class probabilities in <see cref="Labels.All"/> order.</summary>
    private static Prediction ToPrediction(float[] probabilities, int benign)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var best = -1;
        for (var k = 0; k < probabilities.Length; k++)
        {
            scores[Labels.All[k]] = probabilities[k];
            if (k != benign && (best < 0 || probabilities[k] > probabilities[best]))
            {
                best = k;
            }
        }

        var harmful = Math.Clamp(1.0 - probabilities[benign], 0, 1);
        return new Prediction(harmful >= 0.5 ? Labels.All[best] : Labels.Benign, harmful, scores);
    }

    private static string FormatComparison(List<TrainerComparison> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("trainer comparison on dev\n");
        sb.AppendLine("trainer   train-s  macro-F1  harmful-F1  PR-AUC  threshold  recall@thr  FPR@thr    ECE");
        foreach (var r in rows)
        {
            sb.AppendLine(ci, $"{r.Trainer + (r.Servable ? "" : "*"),-9}{r.TrainSeconds,8:F1} {r.MacroF1,9:F3} {r.HarmfulF1,11:F3} {r.HarmfulPrAuc,7:F3} {r.ReviewThreshold,10:F4} {r.HarmfulRecallAtThreshold,11:F3} {r.BenignFalsePositiveRateAtThreshold,8:F3} {r.ExpectedCalibrationError,6:F3}");
        }

        if (rows.Any(r => !r.Servable))
        {
            sb.AppendLine(ci, $"* comparison only, on the feature columns in most train texts (lightgbm {ClassifierPipeline.TreeInputColumns("lightgbm"):N0}, fasttree {ClassifierPipeline.TreeInputColumns("fasttree"):N0}):");
            sb.AppendLine("  a tree model cannot be saved or served (scoring and evidence use the exported linear weights).");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Benign gets <paramref name="benignShare"/> of the total weight and the harmful labels share the rest equally
    /// (0.25: every label the same, as scikit-learn's <c>class_weight="balanced"</c>); within a label, corpus rows weigh
    /// <paramref name="corpusWeight"/> times public rows, and a desk decision <paramref name="corpusWeight"/> times its own
    /// weight (<see cref="DecisionExamples"/>: the decision weight after the platform and day caps). Mean weight is 1.
    /// </summary>
    internal static List<LabeledText> BalanceWeights(List<LabeledText> rows, float corpusWeight, double benignShare = 0.25)
    {
        var baseWeight = rows.Select(r => r.Source switch
        {
            TrainingData.SourceCorpus => corpusWeight,
            DecisionExamples.SourceDesk => corpusWeight * r.Weight,
            _ => 1f,
        }).ToArray();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            totals[rows[i].Label] = totals.GetValueOrDefault(rows[i].Label) + baseWeight[i];
        }

        var result = new List<LabeledText>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var label = rows[i].Label;
            var share = totals.Count == Labels.All.Count
                ? label == Labels.Benign ? benignShare : (1 - benignShare) / (totals.Count - 1)
                : 1.0 / totals.Count;
            var w = baseWeight[i] * rows.Count * share / totals[label];
            result.Add(rows[i] with { Weight = (float)w });
        }

        return result;
    }

    private static string DescribeDecisions(DecisionSetInfo d)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ci, $"1/6 decisions from {d.Source}: {d.Count} up to {d.NewestDecidedAt:O} (set {d.Sha256[..12]})");
        if (d.HeldOut > 0)
        {
            sb.Append(ci, $", {d.HeldOut} held out from {d.Before:O}");
        }

        sb.Append(ci, $"; {d.InCorpus} already in the training data, {d.Repeats} repeats; {d.Used} added (");
        sb.Append(string.Join(", ", d.Labels.Select(l => $"{l.Key} {l.Value}")));
        sb.Append(ci, $"), each worth {d.DecisionWeight:0.##} corpus rows before the caps (platform {d.PlatformCap:P0}, day {d.DayCap:P0}); ");
        sb.Append(string.Join(", ", d.Platforms.Select(p => string.Create(ci, $"{p.Key} {p.Count} at {p.Share:P1}"))));
        if (d.LargestDay is { } day)
        {
            sb.Append(ci, $"; {d.Days} days, largest {day.Key} {day.Count} at {day.Share:P1}");
        }

        return sb.ToString();
    }

    /// <summary>Who wrote a row, for <see cref="ModelTrainerOptions.MinWriters"/>: its corpus writer, else its source.</summary>
    internal static string WriterOf(LabeledText row) => row.Writer ?? row.Source;

    private static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string ShortHash(ModelTrainerOptions options, List<TrainingFileInfo> files, string? lexiconSha)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{FeatureHasher.Description}|{options.Trainer}|{options.Seed}|{options.CorpusWeight}|{options.BenignShare}|{options.L2Regularization}|{options.TargetHarmfulRecall}|{options.LeaveOneWriterOut}|{lexiconSha}|{string.Join(",", files.Select(f => f.Name + ":" + f.Sha256))}");
        if (options.AllRows)
        {
            text += "|all-rows";
        }

        if (options.WriterGroups != 0)
        {
            text += $"|writer-groups:{options.WriterGroups}";
        }

        if (options.MinWriters != 1)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"|min-writers {options.MinWriters}");
        }

        if (options.DecisionsPath is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"|{options.DecisionWeight}|{options.DecisionPlatformCap}|{options.DecisionDayCap}|{options.DecisionsBefore:O}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..7];
    }
}
