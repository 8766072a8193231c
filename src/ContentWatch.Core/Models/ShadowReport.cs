namespace ContentWatch.Core.Models;

/// <summary>The items one model would flag and the other would not.</summary>
public sealed record Disagreements(int Count, IReadOnlyList<ShadowDisagreement> Items);

/// <summary>A model's precision and recall on the items officers decided (confirmed: harmful), counting an item as flagged when its label is harmful.</summary>
public sealed record DecidedFigures(int Flagged, int FlaggedConfirmed, double? Precision, double? Recall);

/// <summary>Both models on the decided items.</summary>
public sealed record DecidedComparison(int Count, int Confirmed, DecidedFigures Shadow, DecidedFigures Active);

/// <summary>
/// A shadow model against the verdicts the same items carry (the active model's when they were classified):
/// <see cref="Compared"/> items scored by both; <see cref="Agreement"/> the share on which both flag or both do not
/// (0 when nothing was compared); <see cref="LabelAgreement"/> the share with the same label; the items only the shadow
/// would flag and only the active did; and precision and recall of both on items officers have decided.
/// </summary>
public sealed record ShadowReport(
    string Model, string? Active, int Compared, double Agreement, double LabelAgreement, Disagreements ShadowOnly, Disagreements ActiveOnly, DecidedComparison Decided)
{
    public static ShadowReport From(string model, string? active, ShadowCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var compared = counts.Compared;
        return new ShadowReport(
            model,
            active,
            compared,
            compared == 0 ? 0 : Round((double)(compared - counts.ShadowOnly - counts.ActiveOnly) / compared),
            compared == 0 ? 0 : Round((double)counts.SameLabel / compared),
            new Disagreements(counts.ShadowOnly, counts.ShadowOnlyItems),
            new Disagreements(counts.ActiveOnly, counts.ActiveOnlyItems),
            new DecidedComparison(counts.Decided, counts.Confirmed,
                Figures(counts.ShadowFlaggedConfirmed, counts.ShadowFlaggedRejected, counts.Confirmed),
                Figures(counts.ActiveFlaggedConfirmed, counts.ActiveFlaggedRejected, counts.Confirmed)));
    }

    private static DecidedFigures Figures(int flaggedConfirmed, int flaggedRejected, int confirmed)
    {
        var flagged = flaggedConfirmed + flaggedRejected;
        return new DecidedFigures(flagged, flaggedConfirmed,
            flagged == 0 ? null : Round((double)flaggedConfirmed / flagged),
            confirmed == 0 ? null : Round((double)flaggedConfirmed / confirmed));
    }

    private static double Round(double value) => Math.Round(value, 4);
}
