namespace ContentWatch.Core.Review;

/// <summary>What a decision reads of its item: its status and, once confirmed, its referral.</summary>
public sealed record DecisionState(string Status, string? ReferralId, string? ReferralCategory);

/// <summary>The review rules a decision must pass against the item's state, read in the decision's own transaction.</summary>
public static class DecisionRules
{
    /// <summary>
    /// Why the decision cannot be recorded, or null: the item does not exist; a reject meets an item already referred;
    /// or a confirm names another category than the referral's. The referral's notice may already have gone out with
    /// its category, so a confirm never changes it (409): send the same category to confirm again.
    /// </summary>
    public static DecisionResult? Refusal(DecisionCommand command, DecisionState? item)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (item is null)
        {
            return new DecisionResult(DecisionOutcome.ItemNotFound, null, $"Item {command.ItemId} does not exist.");
        }

        if (item.ReferralId is null)
        {
            return null;
        }

        if (command.Decision == Decisions.Reject)
        {
            return new DecisionResult(DecisionOutcome.Conflict, item.ReferralId,
                $"Item {command.ItemId} was confirmed and referred ({item.ReferralId}); it cannot be rejected.");
        }

        return command.Decision == Decisions.Confirm && item.ReferralCategory is { } category && category != command.Category
            ? new DecisionResult(DecisionOutcome.Conflict, item.ReferralId,
                $"Item {command.ItemId} was confirmed as {category} and referred ({item.ReferralId}); the referral keeps that category. Confirm again with {category}, or leave it.")
            : null;
    }
}
