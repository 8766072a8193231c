namespace ContentWatch.Core.Classification;

/// <summary>A model's verdict on a stored item.</summary>
public sealed record Verdict(
    string Label, double Score, IReadOnlyDictionary<string, double> Scores, string Model, DateTimeOffset ClassifiedAt, Evidence? Evidence = null);

/// <summary>What a classification job reads of a claimed item.</summary>
public sealed record ItemToClassify(string Id, string Text, string? Title, string Kind, string? Language);

/// <summary>
/// A verdict and the status it moves the item to (<c>in_review</c> or <c>dismissed</c>); <paramref name="Language"/> is
/// the identified language, stored only when the item has none; <paramref name="Shadow"/> is the shadow model's verdict,
/// stored only when the item's own verdict is.
/// </summary>
public sealed record ClassifiedItem(string ItemId, Verdict Verdict, string Status, string? Language = null, Models.ShadowVerdict? Shadow = null);

public interface IClassificationStore
{
    /// <summary>
    /// Claims up to <paramref name="max"/> pending items for <paramref name="lease"/>. An item whose lease has run out
    /// (its worker died) can be claimed again; an item is never handed to two live claims.
    /// </summary>
    Task<IReadOnlyList<ItemToClassify>> ClaimPendingAsync(int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Claims those of <paramref name="ids"/> that are pending and not under a live lease, as <see cref="ClaimPendingAsync"/>
    /// does (a rescore classifies the pending items of its batch this way, so no item is classified twice).
    /// </summary>
    Task<IReadOnlyList<ItemToClassify>> ClaimItemsAsync(IReadOnlyList<string> ids, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Writes verdicts and moves pending items to the given status, and fills the item's language when it has none. An
    /// item an officer decided on before it was classified keeps its status but gets the verdict; an item that already
    /// has a verdict and is no longer pending is left alone.
    /// </summary>
    Task SaveVerdictsAsync(IReadOnlyList<ClassifiedItem> items, CancellationToken cancellationToken);

    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
