namespace ContentWatch.Core.Classification;

/// <summary>The four labels a verdict can carry. Stable: outside checks rely on these strings.</summary>
public static class Labels
{
    public const string SmugglingService = "smuggling_service";
    public const string DocumentFraud = "document_fraud";
    public const string FakeJobOffer = "fake_job_offer";
    public const string Benign = "benign";

    public static readonly IReadOnlyList<string> All = [SmugglingService, DocumentFraud, FakeJobOffer, Benign];

    public static bool IsValid(string? label) => label is not null && All.Contains(label);

    /// <summary>
    /// The label that matches the review queue: benign below <paramref name="threshold"/>, otherwise the most probable
    /// harmful label in <paramref name="scores"/> (never benign at or above the threshold).
    /// </summary>
    public static string ForScore(double score, IReadOnlyDictionary<string, double> scores, double threshold)
    {
        if (score < threshold)
        {
            return Benign;
        }

        var best = SmugglingService;
        var bestScore = double.NegativeInfinity;
        foreach (var label in All)
        {
            if (label != Benign && scores.TryGetValue(label, out var p) && p > bestScore)
            {
                (best, bestScore) = (label, p);
            }
        }

        return best;
    }
}

/// <summary>Names the language of a text (ISO 639-1, lower case), or null when it cannot tell. Thread-safe.</summary>
public interface ILanguageIdentifier
{
    string? Identify(string? text);
}

/// <summary>What the classifier reads of an item.</summary>
public sealed record ClassifierInput(string Text, string? Title = null, string Kind = "post", string? Language = null);

/// <summary>
/// A model's answer for one item. <see cref="Score"/> is the probability that the item is harmful (not benign);
/// <see cref="Scores"/> holds a probability per label (keys from <see cref="Labels.All"/>); <see cref="Evidence"/> says why.
/// </summary>
public sealed record Prediction(string Label, double Score, IReadOnlyDictionary<string, double> Scores, Evidence? Evidence = null);

/// <summary>A trained text model. Implementations are thread-safe.</summary>
public interface ITextClassifier
{
    /// <summary>Version string recorded with every verdict, e.g. "cw-sdca-2026.11.28".</summary>
    string ModelVersion { get; }

    /// <summary>Harmful score at or above which an item goes to the review queue, as chosen at training time.</summary>
    double ReviewThreshold { get; }

    Prediction Classify(ClassifierInput input);

    IReadOnlyList<Prediction> ClassifyBatch(IReadOnlyList<ClassifierInput> inputs);

    /// <summary>Scores only: the same scores and label as <see cref="ClassifyBatch"/>, without evidence (shadow scoring, the gate).</summary>
    IReadOnlyList<Prediction> ScoreBatch(IReadOnlyList<ClassifierInput> inputs) => ClassifyBatch(inputs);
}
