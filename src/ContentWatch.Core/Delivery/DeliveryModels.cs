namespace ContentWatch.Core.Delivery;

/// <summary>Where a delivery stands: waiting for its next attempt, received by the platform (a 2xx answer), or given up.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>What one attempt came to: <c>dead</c> is a failed attempt after which the delivery was dead-lettered.</summary>
public static class AttemptStatus
{
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Dead = "dead";
}

/// <summary>What is pushed: an export batch (its JSON) or a reminder of overdue referrals.</summary>
public static class DeliveryKinds
{
    public const string Export = "export";
    public const string Reminder = "reminder";
}

/// <summary>A platform's webhook as shown: never the secret.</summary>
public sealed record WebhookInfo(string Platform, string Url, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string UpdatedBy, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A webhook with its secrets as stored (protected); <see cref="PreviousSecret"/> is still signed with until it expires.</summary>
public sealed record WebhookTarget(string Url, string ProtectedSecret, string? ProtectedPreviousSecret, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A claimed delivery: what to send and where (no webhook when it was removed since).</summary>
public sealed record DeliveryWork(
    string Id, string Platform, string Kind, string? ExportId, string? Body, int Attempts, DateTimeOffset WindowStartAt, WebhookTarget? Webhook);

/// <summary>One attempt, as listed by <c>GET /api/platforms/{p}/deliveries</c>.</summary>
public sealed record DeliveryAttempt(
    string? ExportId, int Attempt, int? HttpStatus, string Status, DateTimeOffset At, string DeliveryId, string Kind, string? Error, long DurationMs);

/// <summary>The result of an attempt, recorded with the delivery's new state.</summary>
public sealed record AttemptOutcome(
    string DeliveryId,
    string ClaimToken,
    int Attempt,
    DateTimeOffset At,
    int? HttpStatus,
    string? Error,
    long DurationMs,
    string AttemptStatus,
    string DeliveryStatus,
    DateTimeOffset NextAttemptAt);

public interface IDeliveryStore
{
    /// <summary>
    /// Sets the platform's webhook. When a secret was set before, it becomes the previous secret, still signed with until
    /// <paramref name="previousExpiresAt"/>, so the platform can switch over without losing a message.
    /// </summary>
    Task<WebhookInfo> SetWebhookAsync(string platform, string url, string protectedSecret, string actor, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken);

    Task<WebhookInfo?> GetWebhookAsync(string platform, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a pending delivery for every export batch of a platform with a webhook that was made since the webhook was
    /// first set and has none yet (at most one per batch, whatever the races). Returns the new deliveries' ids.
    /// </summary>
    Task<IReadOnlyList<string>> CreateExportDeliveriesAsync(CancellationToken cancellationToken);

    /// <summary>Creates a reminder delivery with <paramref name="body"/> and marks the referrals reminded, in one transaction.</summary>
    Task<string> CreateReminderAsync(string platform, string body, IReadOnlyList<string> referralIds, CancellationToken cancellationToken);

    /// <summary>
    /// How early a delivery may be taken. Hangfire's in-memory storage was seen firing scheduled jobs up to a second before
    /// their time; without this margin such a job finds its delivery not yet due and the retry waits for the sweep.
    /// </summary>
    static readonly TimeSpan EarlyBy = TimeSpan.FromSeconds(2);

    /// <summary>Takes a pending delivery that is due (within <see cref="EarlyBy"/>) and not held by a live claim; null when there is none such.</summary>
    Task<DeliveryWork?> ClaimAsync(string deliveryId, string claimToken, TimeSpan claimFor, CancellationToken cancellationToken);

    /// <summary>Records the attempt and the delivery's new state, if the claim still holds; false otherwise (nothing written).</summary>
    Task<bool> RecordAttemptAsync(AttemptOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Pending deliveries whose next attempt is due and that no live claim holds, oldest first.</summary>
    Task<IReadOnlyList<string>> DueAsync(int limit, CancellationToken cancellationToken);

    /// <summary>A platform's attempts, newest first.</summary>
    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string platform, int limit, CancellationToken cancellationToken);

    /// <summary>Puts a delivered or dead-lettered delivery back to pending, due now, with a fresh retry window. False when there is no such delivery.</summary>
    Task<bool> ResendAsync(string platform, string deliveryId, CancellationToken cancellationToken);
}

/// <summary>Asks the background workers to attempt a delivery. The database stays the source of truth: the sweep makes a lost request good.</summary>
public interface IDeliveryQueue
{
    void Deliver(string deliveryId, TimeSpan delay);
}

/// <summary>Protects secrets kept in the database (ASP.NET Core Data Protection in the service).</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
