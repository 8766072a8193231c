using System.Globalization;
using System.Text;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier;

/// <summary>One labelled item and the model's prediction for it.</summary>
public sealed record EvaluationRow(string Label, string? Language, Prediction Prediction);

/// <summary>Calibration bin: harmful scores in [<see cref="From"/>, <see cref="To"/>), their mean and the share actually harmful.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanScore, double HarmfulRate);

/// <summary>Figures for one language: harmful recall and benign false-positive rate at the review threshold.</summary>
public sealed record LanguageMetrics(string Language, int Count, int Harmful, double Accuracy, double HarmfulRecallAtThreshold, double BenignFalsePositiveRateAtThreshold);

/// <summary>
/// How a model did on a labelled set. Per-label figures and the confusion matrix use the model's label (benign below the
/// review threshold, otherwise the top harmful label); "at threshold" figures flag an item when its harmful score ≥ the
/// review threshold, so for a model served by <see cref="LinearTextClassifier"/> the two agree.
/// </summary>
public sealed record EvaluationReport(
    int Count,
    IReadOnlyList<LabelMetrics> PerLabel,
    double MacroF1,
    double Accuracy,
    IReadOnlyList<string> ConfusionLabels,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    double HarmfulPrecision,
    double HarmfulRecall,
    double HarmfulF1,
    double BenignFalsePositiveRate,
    double HarmfulPrAuc,
    double HarmfulRocAuc,
    double ReviewThreshold,
    double HarmfulRecallAtThreshold,
    double HarmfulPrecisionAtThreshold,
    double BenignFalsePositiveRateAtThreshold,
    double ExpectedCalibrationError,
    IReadOnlyList<ReliabilityBin> Reliability,
    IReadOnlyList<LanguageMetrics> PerLanguage);

/// <summary>Computes <see cref="EvaluationReport"/>s and prints them.</summary>
public static class ModelEvaluation
{
    public const int ReliabilityBins = 10;

    public static EvaluationReport Evaluate(IReadOnlyList<EvaluationRow> rows, double threshold)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var labels = Labels.All;
        var confusion = labels.Select(_ => new int[labels.Count]).ToArray();
        foreach (var r in rows)
        {
            var a = IndexOf(labels, r.Label);
            var p = IndexOf(labels, r.Prediction.Label);
            if (a >= 0 && p >= 0)
            {
                confusion[a][p]++;
            }
        }

        var perLabel = new List<LabelMetrics>();
        for (var k = 0; k < labels.Count; k++)
        {
            var tp = confusion[k][k];
            var fn = confusion[k].Sum() - tp;
            var fp = confusion.Sum(row => row[k]) - tp;
            var (p, r, f) = Prf(tp, fp, fn);
            perLabel.Add(new LabelMetrics(labels[k], p, r, f, tp + fn));
        }

        var present = perLabel.Where(m => m.Support > 0).ToList();
        var harmful = rows.Select(r => r.Label != Labels.Benign).ToArray();
        var scores = rows.Select(r => r.Prediction.Score).ToArray();
        var (hp, hr, hf, fpr) = Harmful(harmful, i => rows[i].Prediction.Label != Labels.Benign);
        var (tp2, tr2, _, fpr2) = Harmful(harmful, i => scores[i] >= threshold);
        var (ece, bins) = Calibration(harmful, scores);

        var perLanguage = rows.Select((r, i) => (r, i)).GroupBy(x => string.IsNullOrWhiteSpace(x.r.Language) ? "?" : x.r.Language!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var h = g.Where(x => harmful[x.i]).ToList();
                var b = g.Where(x => !harmful[x.i]).ToList();
                return new LanguageMetrics(g.Key, g.Count(), h.Count,
                    Ratio(g.Count(x => x.r.Label == x.r.Prediction.Label), g.Count()),
                    Ratio(h.Count(x => scores[x.i] >= threshold), h.Count),
                    Ratio(b.Count(x => scores[x.i] >= threshold), b.Count));
            }).ToList();

        return new EvaluationReport(rows.Count, perLabel, Round(present.Count == 0 ? 0 : present.Average(m => m.F1)),
            Ratio(rows.Count(r => r.Label == r.Prediction.Label), rows.Count), labels, confusion,
            hp, hr, hf, fpr, Round(AveragePrecision(harmful, scores)), Round(RocAuc(harmful, scores)),
            threshold, tr2, tp2, fpr2, Round(ece), bins, perLanguage);
    }

    /// <summary>Average precision (area under the precision-recall curve, step-wise) of <paramref name="scores"/> for the positives.</summary>
    internal static double AveragePrecision(bool[] positive, double[] scores)
    {
        var total = positive.Count(p => p);
        if (total == 0)
        {
            return 0;
        }

        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        double sum = 0;
        int tp = 0, seen = 0;
        var k = 0;
        while (k < order.Length)
        {
            // Items with equal scores count as one step.
            var j = k;
            var stepTp = 0;
            while (j < order.Length && scores[order[j]] == scores[order[k]])
            {
                stepTp += positive[order[j]] ? 1 : 0;
                j++;
            }

            tp += stepTp;
            seen += j - k;
            sum += stepTp / (double)total * (tp / (double)seen);
            k = j;
        }

        return sum;
    }

    /// <summary>ROC-AUC as the probability that a random positive scores above a random negative (ties count half).</summary>
    internal static double RocAuc(bool[] positive, double[] scores)
    {
        var pos = positive.Count(p => p);
        var neg = positive.Length - pos;
        if (pos == 0 || neg == 0)
        {
            return 0;
        }

        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        var k = 0;
        while (k < order.Length)
        {
            var j = k;
            while (j < order.Length && scores[order[j]] == scores[order[k]])
            {
                j++;
            }

            var meanRank = (k + 1 + j) / 2.0;
            for (var m = k; m < j; m++)
            {
                rankSum += positive[order[m]] ? meanRank : 0;
            }

            k = j;
        }

        return (rankSum - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>Expected calibration error of the harmful score over <see cref="ReliabilityBins"/> equal-width bins.</summary>
    internal static (double Ece, List<ReliabilityBin> Bins) Calibration(bool[] positive, double[] scores)
    {
        var bins = new List<ReliabilityBin>();
        double ece = 0;
        for (var b = 0; b < ReliabilityBins; b++)
        {
            var from = b / (double)ReliabilityBins;
            var to = (b + 1) / (double)ReliabilityBins;
            var members = Enumerable.Range(0, scores.Length)
                .Where(i => scores[i] >= from && (scores[i] < to || (b == ReliabilityBins - 1 && scores[i] <= to))).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var mean = members.Average(i => scores[i]);
            var rate = members.Count(i => positive[i]) / (double)members.Count;
            ece += members.Count / (double)scores.Length * Math.Abs(mean - rate);
            bins.Add(new ReliabilityBin(from, to, members.Count, Round(mean), Round(rate)));
        }

        return (ece, bins);
    }

    private static (double P, double R, double F1, double Fpr) Harmful(bool[] harmful, Func<int, bool> flagged)
    {
        int tp = 0, fp = 0, fn = 0, negatives = 0;
        for (var i = 0; i < harmful.Length; i++)
        {
            var predicted = flagged(i);
            negatives += harmful[i] ? 0 : 1;
            tp += harmful[i] && predicted ? 1 : 0;
            fp += !harmful[i] && predicted ? 1 : 0;
            fn += harmful[i] && !predicted ? 1 : 0;
        }

        var (p, r, f) = Prf(tp, fp, fn);
        return (p, r, f, Ratio(fp, negatives));
    }

    internal static (double P, double R, double F1) Prf(int tp, int fp, int fn)
    {
        var p = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        var r = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        var f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return (Round(p), Round(r), Round(f));
    }

    internal static double Ratio(int a, int b) => b == 0 ? 0 : Round(a / (double)b);

    internal static double Round(double x) => Math.Round(x, 4);

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A plain-text report: per-label table, confusion matrix, harmful-score figures, calibration, languages.</summary>
    public static string Format(EvaluationReport m, bool perLanguage = true)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"rows: {m.Count}");
        sb.AppendLine("label               precision  recall     F1  support");
        foreach (var l in m.PerLabel)
        {
            sb.AppendLine(ci, $"{l.Label,-18} {l.Precision,10:F3} {l.Recall,7:F3} {l.F1,6:F3} {l.Support,8}");
        }

        sb.AppendLine(ci, $"macro-F1 {m.MacroF1:F3}   accuracy {m.Accuracy:F3}");
        sb.AppendLine();
        sb.AppendLine("confusion (rows: actual, columns: predicted)");
        sb.Append(' ', 19);
        foreach (var l in m.ConfusionLabels)
        {
            sb.Append(ci, $"{Short(l),9}");
        }

        sb.AppendLine();
        for (var a = 0; a < m.ConfusionLabels.Count; a++)
        {
            sb.Append(ci, $"{m.ConfusionLabels[a],-18} ");
            foreach (var n in m.Confusion[a])
            {
                sb.Append(ci, $"{n,9}");
            }

            sb.AppendLine();
        }

        sb.AppendLine();
        sb.AppendLine(ci, $"harmful score: PR-AUC {m.HarmfulPrAuc:F3}  ROC-AUC {m.HarmfulRocAuc:F3}  ECE {m.ExpectedCalibrationError:F3}");
        sb.AppendLine(ci, $"harmful by label: P {m.HarmfulPrecision:F3} R {m.HarmfulRecall:F3} F1 {m.HarmfulF1:F3}  benign FPR {m.BenignFalsePositiveRate:F3}");
        sb.AppendLine(ci, $"at review threshold {m.ReviewThreshold:F4}: harmful recall {m.HarmfulRecallAtThreshold:F3} precision {m.HarmfulPrecisionAtThreshold:F3}  benign FPR {m.BenignFalsePositiveRateAtThreshold:F3}");
        sb.AppendLine("reliability (harmful score bin: rows, mean score, harmful share)");
        foreach (var b in m.Reliability)
        {
            sb.AppendLine(ci, $"  [{b.From:F1}, {b.To:F1}) {b.Count,6} {b.MeanScore,7:F3} {b.HarmfulRate,7:F3}");
        }

        if (perLanguage && m.PerLanguage.Count > 0)
        {
            sb.AppendLine("language     rows  harmful  accuracy  recall@thr  benign-FPR@thr");
            foreach (var l in m.PerLanguage)
            {
                sb.AppendLine(ci, $"{l.Language,-10} {l.Count,6} {l.Harmful,8} {l.Accuracy,9:F3} {l.HarmfulRecallAtThreshold,11:F3} {l.BenignFalsePositiveRateAtThreshold,15:F3}");
            }
        }

        return sb.ToString();
    }

    private static string Short(string label) => label.Length <= 8 ? label : label[..8];
}
