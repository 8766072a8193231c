using System.Globalization;
using System.Text;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier;

/// <summary>Dev-split metrics and the choice of review threshold.</summary>
internal static class DevEvaluation
{
    /// <param name="rows">Dev rows.</param>
    /// <param name="predictions">Predictions for <paramref name="rows"/>, same order.</param>
    /// <param name="targetRecall">Threshold is the highest score keeping harmful recall ≥ this.</param>
    public static DevMetrics Evaluate(IReadOnlyList<LabeledText> rows, IReadOnlyList<Prediction> predictions, double targetRecall)
    {
        var threshold = ChooseThreshold(rows, predictions, targetRecall);
        var perLabel = new List<LabelMetrics>();
        foreach (var label in Labels.All)
        {
            int tp = 0, fp = 0, fn = 0, support = 0;
            for (var i = 0; i < rows.Count; i++)
            {
                var actual = rows[i].Label == label;
                var predicted = predictions[i].Label == label;
                support += actual ? 1 : 0;
                tp += actual && predicted ? 1 : 0;
                fp += !actual && predicted ? 1 : 0;
                fn += actual && !predicted ? 1 : 0;
            }

            var (p, r, f) = Prf(tp, fp, fn);
            perLabel.Add(new LabelMetrics(label, p, r, f, support));
        }

        var present = perLabel.Where(m => m.Support > 0).ToList();
        var macroF1 = present.Count == 0 ? 0 : present.Average(m => m.F1);
        var accuracy = rows.Count == 0 ? 0 : Enumerable.Range(0, rows.Count).Count(i => rows[i].Label == predictions[i].Label) / (double)rows.Count;

        var (hp, hr, hf, fpr) = Harmful(rows, i => predictions[i].Label != Labels.Benign);
        var (tp2, tr2, _, fpr2) = Harmful(rows, i => predictions[i].Score >= threshold);

        var perSource = rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Source).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var harmful = g.Where(x => x.r.Label != Labels.Benign).ToList();
                var benign = g.Where(x => x.r.Label == Labels.Benign).ToList();
                return new SourceMetrics(g.Key, g.Count(), harmful.Count,
                    Ratio(harmful.Count(x => predictions[x.i].Score >= threshold), harmful.Count),
                    Ratio(benign.Count(x => predictions[x.i].Score >= threshold), benign.Count));
            }).ToList();

        return new DevMetrics(rows.Count, perLabel, Round(macroF1), Round(accuracy), hp, hr, hf, fpr, Round(threshold), tr2, tp2, fpr2, perSource);
    }

    /// <summary>The highest harmful score t such that the share of dev harmful rows with score ≥ t is at least <paramref name="target"/>.</summary>
    internal static double ChooseThreshold(IReadOnlyList<LabeledText> rows, IReadOnlyList<Prediction> predictions, double target)
    {
        var harmfulScores = rows.Select((r, i) => (r, i)).Where(x => x.r.Label != Labels.Benign)
            .Select(x => predictions[x.i].Score).OrderByDescending(s => s).ToList();
        if (harmfulScores.Count == 0)
        {
            return 0.5;
        }

        var needed = (int)Math.Ceiling(target * harmfulScores.Count);
        var t = harmfulScores[Math.Clamp(needed, 1, harmfulScores.Count) - 1];
        // Round down to 4 decimals so the row that sets the threshold stays at or above it.
        return Math.Floor(t * 10_000) / 10_000;
    }

    private static (double P, double R, double F1, double Fpr) Harmful(IReadOnlyList<LabeledText> rows, Func<int, bool> flagged)
    {
        int tp = 0, fp = 0, fn = 0, negatives = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var actual = rows[i].Label != Labels.Benign;
            var predicted = flagged(i);
            negatives += actual ? 0 : 1;
            tp += actual && predicted ? 1 : 0;
            fp += !actual && predicted ? 1 : 0;
            fn += actual && !predicted ? 1 : 0;
        }

        var (p, r, f) = Prf(tp, fp, fn);
        return (p, r, f, Ratio(fp, negatives));
    }

    private static (double P, double R, double F1) Prf(int tp, int fp, int fn)
    {
        var p = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        var r = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        var f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return (Round(p), Round(r), Round(f));
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : Round(a / (double)b);

    private static double Round(double x) => Math.Round(x, 4);

    public static string Format(DevMetrics m)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"dev rows: {m.Count}");
        sb.AppendLine("label               precision  recall     F1  support");
        foreach (var l in m.PerLabel)
        {
            sb.AppendLine(ci, $"{l.Label,-18} {l.Precision,10:F3} {l.Recall,7:F3} {l.F1,6:F3} {l.Support,8}");
        }

        sb.AppendLine(ci, $"macro-F1 {m.MacroF1:F3}   accuracy {m.Accuracy:F3}");
        sb.AppendLine(ci, $"harmful (score ≥ 0.5): P {m.HarmfulPrecision:F3} R {m.HarmfulRecall:F3} F1 {m.HarmfulF1:F3}  benign FPR {m.BenignFalsePositiveRate:F3}");
        sb.AppendLine(ci, $"review threshold {m.ReviewThreshold:F4}: harmful recall {m.HarmfulRecallAtThreshold:F3} precision {m.HarmfulPrecisionAtThreshold:F3}  benign FPR {m.BenignFalsePositiveRateAtThreshold:F3}");
        sb.AppendLine("source              rows  harmful  recall@thr  benign-flagged@thr");
        foreach (var s in m.PerSource)
        {
            sb.AppendLine(ci, $"{s.Source,-18} {s.Count,5} {s.Harmful,8} {s.HarmfulRecallAtThreshold,11:F3} {s.BenignFlaggedAtThreshold,19:F3}");
        }

        return sb.ToString();
    }
}
