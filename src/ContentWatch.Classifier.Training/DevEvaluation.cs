using System.Globalization;
using System.Text;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Training;

/// <summary>Dev-split metrics and the choice of review threshold.</summary>
internal static class DevEvaluation
{
    /// <param name="rows">Dev rows.</param>
    /// <param name="predictions">Predictions for <paramref name="rows"/>, same order.</param>
    /// <param name="targetRecall">Without <paramref name="threshold"/>, the threshold is the highest score keeping harmful recall ≥ this.</param>
    /// <param name="threshold">The review threshold, when it was chosen elsewhere (leave-one-writer-out).</param>
    public static DevMetrics Evaluate(IReadOnlyList<LabeledText> rows, IReadOnlyList<Prediction> predictions, double targetRecall, double? threshold = null)
    {
        var t = threshold ?? ChooseThreshold(rows, predictions, targetRecall);
        predictions = [.. predictions.Select(p => Labelled(p, t))];
        return Evaluate(rows, predictions, t);
    }

    /// <summary>The label the served model gives: benign below the review threshold, else the most probable harmful label.</summary>
    private static Prediction Labelled(Prediction p, double threshold)
    {
        if (p.Score < threshold)
        {
            return p with { Label = Labels.Benign };
        }

        var top = p.Scores.Where(s => s.Key != Labels.Benign).OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First();
        return p with { Label = top.Key };
    }

    private static DevMetrics Evaluate(IReadOnlyList<LabeledText> rows, IReadOnlyList<Prediction> predictions, double threshold)
    {
        var report = ModelEvaluation.Evaluate(rows.Select((r, i) => new EvaluationRow(r.Label, r.Language, predictions[i])).ToList(), threshold);
        var perSource = rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Source).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var harmful = g.Where(x => x.r.Label != Labels.Benign).ToList();
                var benign = g.Where(x => x.r.Label == Labels.Benign).ToList();
                return new SourceMetrics(g.Key, g.Count(), harmful.Count,
                    ModelEvaluation.Ratio(harmful.Count(x => predictions[x.i].Score >= threshold), harmful.Count),
                    ModelEvaluation.Ratio(benign.Count(x => predictions[x.i].Score >= threshold), benign.Count));
            }).ToList();
        return new DevMetrics(report, perSource);
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

    public static string Format(DevMetrics m)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(ModelEvaluation.Format(m.Report, perLanguage: false));
        sb.AppendLine("source              rows  harmful  recall@thr  benign-flagged@thr");
        foreach (var s in m.PerSource)
        {
            sb.AppendLine(ci, $"{s.Source,-18} {s.Count,5} {s.Harmful,8} {s.HarmfulRecallAtThreshold,11:F3} {s.BenignFlaggedAtThreshold,19:F3}");
        }

        return sb.ToString();
    }
}
