using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Models;

/// <summary>A candidate and the active model on one set: the figures of each, and whether the set was used to judge.</summary>
public sealed record SetComparison(string Set, HarmfulFigures Candidate, HarmfulFigures Active, bool Judged, string? Note = null);

/// <summary>
/// What the promotion gate found: <see cref="Worse"/> with the reasons, and the comparison on each set. Printed by
/// <c>contentwatch models promote</c> and carried by the API's 409, and kept in the activation's audited event.
/// </summary>
public sealed record GateComparison(
    string CandidateId, string? ActiveId, bool Worse, IReadOnlyList<string> Reasons, double Tolerance, SetComparison? Golden, SetComparison? Decisions);

/// <summary>
/// The promotion gate. A candidate is <b>worse</b> than the active model when, by more than the tolerance:
/// <list type="bullet">
/// <item>on the golden set, its harmful F1 or its harmful recall is lower; or</item>
/// <item>on officers' decisions of the last days held out from its training (judged only with enough of them, both
/// confirmed and rejected ones), its recall on confirmed items or its precision is lower.</item>
/// </list>
/// Each model is measured at its own review threshold (the configured one when set). Without a golden set the gate
/// cannot compare and refuses. Without an active model anything passes.
/// </summary>
public static class PromotionGate
{
    public const string GoldenSetName = "golden";
    public const string DecisionsSetName = "decisions";

    /// <summary>
    /// Whether a decided item was held out from a model's training, as its metadata tells: every decision when it was
    /// trained without decisions; otherwise those taken after the newest decision it saw.
    /// </summary>
    public static bool HeldOut(DecidedItem item, ModelTraining training)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(training);
        return training.DecisionsUntil is not { } until || item.DecidedAt > until;
    }

    /// <summary>The decided items as labelled texts (confirmed: harmful, rejected: benign).</summary>
    public static IReadOnlyList<LabelledText> Labelled(IEnumerable<DecidedItem> items) =>
        [.. items.Select(d => new LabelledText(d.Id, d.Text, d.Title, d.Kind, d.Language, d.Status == ItemStatus.Confirmed ? Labels.SmugglingService : Labels.Benign))];

    /// <summary>Compares the figures and says whether the candidate is worse.</summary>
    /// <param name="golden">Both models on the golden set; null when there is no golden set.</param>
    /// <param name="decisions">Both models on the held-out decisions; null when none were scored.</param>
    public static GateComparison Judge(string candidateId, string? activeId, (HarmfulFigures Candidate, HarmfulFigures Active)? golden,
        (HarmfulFigures Candidate, HarmfulFigures Active)? decisions, double tolerance, int minDecisions, string? goldenNote = null)
    {
        var reasons = new List<string>();
        if (activeId is null)
        {
            return new GateComparison(candidateId, null, false, ["no model is active"], tolerance, null, null);
        }

        SetComparison? goldenSet = null;
        if (golden is { } g)
        {
            goldenSet = new SetComparison(GoldenSetName, g.Candidate, g.Active, true, goldenNote);
            Lower(reasons, "golden set: harmful F1", g.Candidate.F1, g.Active.F1, tolerance);
            Lower(reasons, "golden set: harmful recall", g.Candidate.Recall, g.Active.Recall, tolerance);
        }
        else
        {
            reasons.Add("no golden set to compare on" + (goldenNote is null ? "" : $" ({goldenNote})") + ": the gate cannot judge; force to activate anyway");
        }

        SetComparison? decisionSet = null;
        if (decisions is { } d)
        {
            var benign = d.Candidate.Count - d.Candidate.Harmful;
            var judged = d.Candidate.Count >= minDecisions && d.Candidate.Harmful > 0 && benign > 0;
            decisionSet = new SetComparison(DecisionsSetName, d.Candidate, d.Active, judged,
                judged ? null : $"{d.Candidate.Count} held-out decisions ({d.Candidate.Harmful} confirmed, {benign} rejected): too few to judge (at least {minDecisions}, both kinds)");
            if (judged)
            {
                Lower(reasons, "held-out decisions: recall on confirmed items", d.Candidate.Recall, d.Active.Recall, tolerance);
                Lower(reasons, "held-out decisions: precision", d.Candidate.Precision, d.Active.Precision, tolerance);
            }
        }

        return new GateComparison(candidateId, activeId, reasons.Count > 0, reasons, tolerance, goldenSet, decisionSet);
    }

    private static void Lower(List<string> reasons, string what, double candidate, double active, double tolerance)
    {
        if (candidate < active - tolerance - 1e-9)
        {
            reasons.Add(FormattableString.Invariant($"{what} {candidate:0.000} against the active model's {active:0.000} (more than {tolerance:0.000} lower)"));
        }
    }

    /// <summary>The comparison as lines for a terminal: one per set and model, then the verdict.</summary>
    public static IReadOnlyList<string> Describe(GateComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var lines = new List<string>
        {
            $"candidate {comparison.CandidateId} against active {comparison.ActiveId ?? "(none)"}, tolerance {comparison.Tolerance.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}",
        };
        foreach (var set in new[] { comparison.Golden, comparison.Decisions }.OfType<SetComparison>())
        {
            lines.Add($"  {set.Set}: {set.Candidate.Count} items, {set.Candidate.Harmful} harmful{(set.Judged ? "" : " (not judged: " + set.Note + ")")}");
            lines.Add("    " + Figures("candidate", set.Candidate));
            lines.Add("    " + Figures("active   ", set.Active));
        }

        lines.Add(comparison.Worse ? "worse: " + string.Join("; ", comparison.Reasons) : "not worse: the gate passes");
        return lines;
    }

    private static string Figures(string who, HarmfulFigures f) => FormattableString.Invariant(
        $"{who} threshold {f.Threshold:0.0000}  precision {f.Precision:0.000}  recall {f.Recall:0.000}  F1 {f.F1:0.000}  benign FPR {f.BenignFalsePositiveRate:0.000}");
}
