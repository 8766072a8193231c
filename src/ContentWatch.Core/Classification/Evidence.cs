namespace ContentWatch.Core.Classification;

/// <summary>
/// Why a verdict came out as it did, for an officer to see at a glance: the indicators found in the text (phone
/// number, messaging app or handle, price with currency, URL, ...) and the terms that pushed the harmful score most.
/// </summary>
/// <param name="Indicators">Indicator names, e.g. <c>phone_number</c>, <c>messaging_app</c>, <c>price</c>, <c>url</c>.</param>
/// <param name="Terms">The features that moved the score most towards the predicted label, strongest first.</param>
/// <param name="Spans">Where indicators and terms sit in the item's original text (UTF-16 offsets), for highlighting.</param>
/// <param name="Concepts">The concept-lexicon concepts found in the text (e.g. <c>escrow_payment</c>, <c>guarantee_safety</c>).</param>
/// <param name="Watchlist">The watched indicators the item shares, each with the confirmed item it came from; absent when none.</param>
public sealed record Evidence(IReadOnlyList<string> Indicators, IReadOnlyList<EvidenceTerm> Terms, IReadOnlyList<EvidenceSpan> Spans,
    IReadOnlyList<string>? Concepts = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<Networks.WatchlistHit>? Watchlist = null)
{
    public static readonly Evidence None = new([], [], []);
}

/// <summary>A term (word, character n-gram or sub-word, as shown to officers) and its contribution to the score.</summary>
public sealed record EvidenceTerm(string Term, double Weight);

/// <summary>A range of the original text that carries evidence; <paramref name="Reason"/> is an indicator name or a term.</summary>
public sealed record EvidenceSpan(int Start, int Length, string Reason);
