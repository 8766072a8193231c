namespace ContentWatch.Core.Review;

public static class ItemStatus
{
    public const string Pending = "pending";
    public const string InReview = "in_review";
    public const string Dismissed = "dismissed";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
    public static readonly IReadOnlyList<string> All = [Pending, InReview, Dismissed, Confirmed, Rejected];
}

public static class Decisions
{
    public const string Confirm = "confirm";
    public const string Reject = "reject";
}
