using ContentWatch.Core.Classification;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Training;

/// <summary>
/// An officer's first decision on an item, as a labelled example: a confirm gives its category, a reject gives
/// <c>benign</c>. The provenance says which decision, whose, when, and where the item was posted.
/// <see cref="ClusterId"/> is set when the decision was taken for the item's whole near-duplicate cluster.
/// </summary>
public sealed record TrainingExample(
    string DecisionId,
    string ItemId,
    string Officer,
    DateTimeOffset DecidedAt,
    string Platform,
    string? Language,
    string Kind,
    string? Title,
    string Text,
    string Label,
    string? ClusterId);

/// <summary>
/// What the store knows of an item's first decision (earliest <c>at</c>, then lowest decision id) and of the decisions
/// taken on the item after it: the lowest and highest of their <c>decision</c> and <c>category</c> values, all null when
/// there is none. <see cref="TrainingExamples.FromFirstDecision"/> applies the rules to these facts.
/// </summary>
public sealed record FirstDecision(
    string DecisionId,
    string ItemId,
    string Officer,
    DateTimeOffset DecidedAt,
    string Decision,
    string? Category,
    string? ClusterId,
    string Platform,
    string? Language,
    string Kind,
    string? Title,
    string Text,
    string? LaterDecisionMin,
    string? LaterDecisionMax,
    string? LaterCategoryMin,
    string? LaterCategoryMax);

/// <summary>Where a page of first decisions starts: after (<see cref="At"/>, <see cref="DecisionId"/>) in (at, id) order.</summary>
/// <remarks>The first page of a <c>since</c> cut-off is (since, ""): every decision at or after <c>since</c>.</remarks>
public sealed record ExampleCursor(DateTimeOffset At, string DecisionId)
{
    public static ExampleCursor Since(DateTimeOffset? since) => new(since ?? DateTimeOffset.UnixEpoch, string.Empty);
}

/// <summary>The first decisions of decided items, for training.</summary>
public interface ITrainingExampleStore
{
    /// <summary>
    /// Up to <paramref name="limit"/> first decisions after <paramref name="after"/> in (at, decision id) order (keyset
    /// paging: each page is one short query, so a long export holds no connection or lock between pages).
    /// </summary>
    Task<IReadOnlyList<FirstDecision>> ReadFirstDecisionsAsync(ExampleCursor after, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Decisions become examples. The rule: every item with a first decision gives one example, unless that decision was
/// reversed. The store has no retraction of its own (decisions are append-only, and <see cref="DecisionRules"/> refuse
/// a reject or another category once an item is referred), so "reversed" is read from the decisions themselves: a later
/// decision on the item that says something else, i.e. another decision (a reject then a confirm, or the reverse), or,
/// when the first was a confirm, another category. A later decision that repeats the first (the same confirm again, or
/// another reject) keeps the example; the category a reject carries does not matter, a reject is <c>benign</c>. A cluster
/// decision is a decision on each member item, so the same rule applies to each. A confirm whose category is not a
/// harmful label (data written before validation) gives no example. A platform that later refuses or cannot find the
/// referred content does not change the officer's reading of the text, so referral statuses are not considered.
/// </summary>
public static class TrainingExamples
{
    /// <summary>First decisions read per page.</summary>
    public const int PageSize = 500;

    /// <summary>The example of a first decision, or null when it was reversed or has no training label.</summary>
    public static TrainingExample? FromFirstDecision(FirstDecision first)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (IsReversed(first))
        {
            return null;
        }

        var label = first.Decision switch
        {
            Decisions.Reject => Labels.Benign,
            Decisions.Confirm when Labels.IsValid(first.Category) && first.Category != Labels.Benign => first.Category!,
            _ => null,
        };
        return label is null
            ? null
            : new TrainingExample(first.DecisionId, first.ItemId, first.Officer, first.DecidedAt, first.Platform, first.Language, first.Kind,
                first.Title, first.Text, label, first.ClusterId);
    }

    /// <summary>True when a later decision on the item says something other than its first (see <see cref="TrainingExamples"/>).</summary>
    public static bool IsReversed(FirstDecision first)
    {
        ArgumentNullException.ThrowIfNull(first);
        if (first.LaterDecisionMin is null)
        {
            return false;
        }

        if (first.LaterDecisionMin != first.Decision || first.LaterDecisionMax != first.Decision)
        {
            return true;
        }

        return first.Decision == Decisions.Confirm
               && (first.LaterCategoryMin != (first.Category ?? string.Empty) || first.LaterCategoryMax != (first.Category ?? string.Empty));
    }

    /// <summary>
    /// Every example whose first decision was taken at or after <paramref name="since"/> (all when null), oldest first,
    /// a page at a time: memory holds one page whatever the number of decisions.
    /// </summary>
    public static async IAsyncEnumerable<TrainingExample> StreamAsync(ITrainingExampleStore store, DateTimeOffset? since,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int pageSize = PageSize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var cursor = ExampleCursor.Since(since);
        while (true)
        {
            var page = await store.ReadFirstDecisionsAsync(cursor, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var first in page)
            {
                if (FromFirstDecision(first) is { } example)
                {
                    yield return example;
                }
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            cursor = new ExampleCursor(page[^1].DecidedAt, page[^1].DecisionId);
        }
    }
}
