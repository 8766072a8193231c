using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Training;

/// <summary>
/// Leave-one-writer-out: each corpus writer's items are scored by a model trained on everything else (the other writers
/// and the public data), so the figures say how the model does on a voice it has never read, not on its writers' style.
/// Each writer's threshold is chosen on the other writers' out-of-fold scores (harmful F1 at its best), so no writer's
/// figures use its own labels; the shipped review threshold is the same choice over all writers' out-of-fold scores.
/// With <see cref="ModelTrainerOptions.WriterGroups"/> the writers are held out a group at a time: the same figures,
/// from fewer and slightly smaller models.
/// </summary>
internal static class WriterFolds
{
    /// <param name="rows">Every row (corpus rows carry <see cref="LabeledText.Writer"/>; public rows have none and always train).</param>
    /// <param name="normalized">The rows' normalised texts, same order.</param>
    public static WriterFoldReport Run(ModelTrainerOptions options, List<LabeledText> rows, List<string> normalized, Action<string> say,
        CancellationToken ct)
    {
        var writers = rows.Where(r => r.Writer is not null).Select(r => r.Writer!).Distinct().Order(StringComparer.Ordinal).ToList();
        if (writers.Count < 2)
        {
            throw new InvalidOperationException($"Leave-one-writer-out needs at least two writers in the corpus; found {writers.Count}.");
        }

        if (options.FoldWriters is { } only)
        {
            var unknown = only.Where(w => !writers.Contains(w)).ToList();
            if (unknown.Count > 0 || only.Count == 0)
            {
                throw new ArgumentException(
                    $"{(only.Count == 0 ? "No fold writers given" : "Unknown fold writers: " + string.Join(", ", unknown))}. The corpus has: {string.Join(", ", writers)}.");
            }

            writers = [.. writers.Where(only.Contains)];
        }

        var heldOut = writers.ToHashSet(StringComparer.Ordinal);

        var scores = new double[rows.Count];
        var best = new string[rows.Count];
        var benignClass = Labels.All.ToList().IndexOf(Labels.Benign);
        // Folds write disjoint rows of scores and best, so they can run at once; each is the same as when run alone.
        var gate = new object();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ParallelFolds, CancellationToken = ct };
        var folds = Group(writers, rows, options.WriterGroups);
        try
        {
            Parallel.ForEach(folds, parallel, TrainFold);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); // the fold's own error, not a wrapper
        }

        void TrainFold(IReadOnlyList<string> fold)
        {
            var watch = Stopwatch.StartNew();
            var trainIndex = Enumerable.Range(0, rows.Count).Where(i => rows[i].Writer is not { } w || !fold.Contains(w)).ToList();
            var testIndex = Enumerable.Range(0, rows.Count).Where(i => rows[i].Writer is { } w && fold.Contains(w)).ToList();
            var (vocabulary, _, trainRows) = ModelTrainer.LearnerRows(
                trainIndex.Select(i => rows[i]).ToList(), trainIndex.Select(i => normalized[i]).ToList(), options);
            var linear = ModelTrainer.Fit(options, options.Trainer, vocabulary, trainRows).Linear;
            var probabilities = new float[linear.Classes];
            foreach (var i in testIndex)
            {
                LinearScorer.Score(normalized[i], linear, probabilities);
                scores[i] = Math.Clamp(1.0 - probabilities[benignClass], 0, 1);
                best[i] = TopHarmful(probabilities, benignClass);
            }

            lock (gate)
            {
                say($"  {(fold.Count == 1 ? "writer" : "writers")} {string.Join(", ", fold)}: trained on {trainIndex.Count} rows without their {testIndex.Count} in {watch.Elapsed.TotalSeconds:F0}s");
            }
        }

        var perWriter = new List<WriterFoldMetrics>();
        var thresholdOf = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var writer in writers)
        {
            var others = Enumerable.Range(0, rows.Count).Where(i => rows[i].Writer is { } w && w != writer && heldOut.Contains(w)).ToList();
            var threshold = BestF1Threshold(others.Select(i => IsHarmful(rows[i])).ToArray(), others.Select(i => scores[i]).ToArray());
            thresholdOf[writer] = threshold;
            var own = Enumerable.Range(0, rows.Count).Where(i => rows[i].Writer == writer).ToList();
            perWriter.Add(Measure(writer, own, rows, scores, threshold));
        }

        var corpus = Enumerable.Range(0, rows.Count).Where(i => rows[i].Writer is { } w && heldOut.Contains(w)).ToList();
        var pooledThreshold = BestF1Threshold(corpus.Select(i => IsHarmful(rows[i])).ToArray(), corpus.Select(i => scores[i]).ToArray());
        var flagged = corpus.ToDictionary(i => i, i => scores[i] >= thresholdOf[rows[i].Writer!]);
        var predictions = corpus.Select(i => (Row: rows[i], Flagged: flagged[i], Label: flagged[i] ? best[i] : Labels.Benign)).ToList();
        if (options.OutOfFoldPath is not null)
        {
            WriteOutOfFold(options.OutOfFoldPath, corpus.Select(i => (rows[i], scores[i], best[i], thresholdOf[rows[i].Writer!])));
        }

        return new WriterFoldReport(
            Writers: perWriter,
            MeanHarmfulF1: Mean(perWriter.Select(w => w.HarmfulF1)),
            WorstHarmfulF1: perWriter.Min(w => w.HarmfulF1),
            MeanHarmfulPrAuc: Mean(perWriter.Select(w => w.HarmfulPrAuc)),
            WorstHarmfulPrAuc: perWriter.Min(w => w.HarmfulPrAuc),
            MeanBenignFalsePositiveRate: Mean(perWriter.Select(w => w.BenignFalsePositiveRate)),
            WorstBenignFalsePositiveRate: perWriter.Max(w => w.BenignFalsePositiveRate),
            PooledThreshold: pooledThreshold,
            PerLanguage: Groups(predictions, r => r.Language ?? "?"),
            PerGenre: Groups(predictions, r => $"{(r.Label == Labels.Benign ? "benign" : "harmful")}/{r.Genre ?? "?"}"),
            PerLabel: Groups(predictions, r => r.Label),
            WriterGroups: options.WriterGroups == 0 ? null : folds.Count);
    }

    /// <summary>
    /// The folds: with <paramref name="count"/> 0 one per writer, in the order given; otherwise writers dealt to
    /// <paramref name="count"/> groups, largest first, each to the group with the fewest rows so far.
    /// </summary>
    internal static List<IReadOnlyList<string>> Group(IReadOnlyList<string> writers, List<LabeledText> rows, int count)
    {
        if (count == 0)
        {
            return [.. writers.Select(w => (IReadOnlyList<string>)[w])];
        }

        var size = rows.Where(r => r.Writer is not null).CountBy(r => r.Writer!).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var groups = Enumerable.Range(0, Math.Min(count, writers.Count)).Select(_ => (Rows: 0, Writers: new List<string>())).ToArray();
        foreach (var writer in writers.OrderByDescending(w => size[w]).ThenBy(w => w, StringComparer.Ordinal))
        {
            var k = Array.FindIndex(groups, g => g.Rows == groups.Min(x => x.Rows));
            groups[k] = (groups[k].Rows + size[writer], [.. groups[k].Writers, writer]);
        }

        return [.. groups.Select(g => (IReadOnlyList<string>)g.Writers)];
    }

    /// <summary>One JSON line per held-out row: its id, writer, genre, language, label, out-of-fold score, top harmful label and its writer's threshold.</summary>
    private static void WriteOutOfFold(string path, IEnumerable<(LabeledText Row, double Score, string Best, double Threshold)> items)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var (row, score, top, threshold) in items)
        {
            writer.WriteLine(JsonSerializer.Serialize(new
            {
                id = row.Id,
                writer = row.Writer,
                genre = row.Genre,
                lang = row.Language,
                label = row.Label,
                score = ModelEvaluation.Round(score),
                harmful_label = top,
                threshold = ModelEvaluation.Round(threshold),
            }));
        }
    }

    private static bool IsHarmful(LabeledText row) => row.Label != Labels.Benign;

    private static string TopHarmful(float[] probabilities, int benignClass)
    {
        var top = -1;
        for (var k = 0; k < probabilities.Length; k++)
        {
            if (k != benignClass && (top < 0 || probabilities[k] > probabilities[top]))
            {
                top = k;
            }
        }

        return Labels.All[top];
    }

    private static WriterFoldMetrics Measure(string writer, List<int> own, List<LabeledText> rows, double[] scores, double threshold)
    {
        var harmful = own.Select(i => IsHarmful(rows[i])).ToArray();
        var s = own.Select(i => scores[i]).ToArray();
        var tp = Enumerable.Range(0, s.Length).Count(k => harmful[k] && s[k] >= threshold);
        var fp = Enumerable.Range(0, s.Length).Count(k => !harmful[k] && s[k] >= threshold);
        var fn = harmful.Count(h => h) - tp;
        var (p, r, f) = ModelEvaluation.Prf(tp, fp, fn);
        var benign = harmful.Count(h => !h);
        return new WriterFoldMetrics(writer, own.Count, harmful.Count(h => h), ModelEvaluation.Round(threshold), p, r, f,
            ModelEvaluation.Round(ModelEvaluation.AveragePrecision(harmful, s)), ModelEvaluation.Ratio(fp, benign));
    }

    /// <summary>Recall of the harmful rows and share of benign rows flagged, per group, at each row's writer's threshold.</summary>
    private static IReadOnlyList<FoldGroupMetrics> Groups(List<(LabeledText Row, bool Flagged, string Label)> predictions, Func<LabeledText, string> key) =>
        predictions.GroupBy(p => key(p.Row)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var harmful = g.Where(p => IsHarmful(p.Row)).ToList();
            var benign = g.Where(p => !IsHarmful(p.Row)).ToList();
            var tp = harmful.Count(p => p.Flagged);
            var fp = benign.Count(p => p.Flagged);
            return new FoldGroupMetrics(g.Key, g.Count(), harmful.Count, ModelEvaluation.Ratio(tp, harmful.Count),
                ModelEvaluation.Ratio(fp, benign.Count), ModelEvaluation.Prf(tp, fp, harmful.Count - tp).F1,
                ModelEvaluation.Ratio(g.Count(p => p.Label == p.Row.Label), g.Count()));
        }).ToList();

    /// <summary>The score threshold (rounded down to 4 decimals) at which harmful F1 over these rows is highest.</summary>
    internal static double BestF1Threshold(bool[] harmful, double[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        var positives = harmful.Count(h => h);
        if (positives == 0)
        {
            return 0.5;
        }

        double bestF1 = -1, bestThreshold = 0.5;
        var tp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            tp += harmful[order[k]] ? 1 : 0;

            // Only between distinct scores: everything at or above scores[order[k]] is flagged.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]])
            {
                continue;
            }

            var f1 = 2.0 * tp / (k + 1 + positives);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                bestThreshold = scores[order[k]];
            }
        }

        return Math.Floor(bestThreshold * 10_000) / 10_000;
    }

    private static double Mean(IEnumerable<double> values) => ModelEvaluation.Round(values.Average());

    public static string Format(WriterFoldReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("leave-one-writer-out (each writer scored by a model trained without it; threshold chosen on the other writers)\n");
        sb.AppendLine("writer              items  harmful  threshold  precision  recall  harmful-F1  PR-AUC  benign-FPR");
        foreach (var w in report.Writers)
        {
            sb.AppendLine(ci, $"{w.Writer,-18} {w.Count,6} {w.Harmful,8} {w.Threshold,10:F4} {w.HarmfulPrecision,10:F3} {w.HarmfulRecall,7:F3} {w.HarmfulF1,11:F3} {w.HarmfulPrAuc,7:F3} {w.BenignFalsePositiveRate,11:F3}");
        }

        sb.AppendLine(ci, $"mean harmful F1 {report.MeanHarmfulF1:F3} (worst {report.WorstHarmfulF1:F3}), PR-AUC {report.MeanHarmfulPrAuc:F3} (worst {report.WorstHarmfulPrAuc:F3}), benign FPR {report.MeanBenignFalsePositiveRate:F3} (worst {report.WorstBenignFalsePositiveRate:F3})");
        sb.AppendLine(ci, $"threshold over all writers' out-of-fold scores (the review threshold): {report.PooledThreshold:F4}");
        AppendGroups(sb, "label", report.PerLabel);
        AppendGroups(sb, "genre", report.PerGenre);
        AppendGroups(sb, "language", report.PerLanguage);
        return sb.ToString();
    }

    private static void AppendGroups(StringBuilder sb, string title, IReadOnlyList<FoldGroupMetrics> groups)
    {
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"{title,-34} items  harmful  recall  benign-FPR  harmful-F1  label-accuracy");
        foreach (var g in groups)
        {
            sb.AppendLine(ci, $"{g.Group,-34} {g.Count,5} {g.Harmful,8} {g.HarmfulRecall,7:F3} {g.BenignFalsePositiveRate,11:F3} {g.HarmfulF1,11:F3} {g.LabelAccuracy,15:F3}");
        }
    }
}
