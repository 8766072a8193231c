using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Core.Review;

namespace ContentWatch.Storage.Rows;

// The rows of push delivery, re-checks, the audit chain and the transparency report, the same for every provider, with
// the statements that are standard SQL written once (the SQL Server stores alias them, so the T-SQL tests parse them).

internal static class FollowUpSql
{
    public const string Webhook = """
        SELECT platform AS Platform, url AS Url, created_at AS CreatedAt, updated_at AS UpdatedAt, updated_by AS UpdatedBy,
               previous_expires_at AS PreviousExpiresAt
        FROM platform_webhooks
        WHERE platform = @platform;
        """;

    public const string ClaimedWork = """
        SELECT d.id AS Id, d.platform AS Platform, d.kind AS Kind, d.export_id AS ExportId, d.body AS Body, d.attempts AS Attempts,
               d.window_start_at AS WindowStartAt, w.url AS Url, w.secret AS Secret, w.previous_secret AS PreviousSecret,
               w.previous_expires_at AS PreviousExpiresAt
        FROM deliveries d
        LEFT JOIN platform_webhooks w ON w.platform = d.platform
        WHERE d.id = @id AND d.claim_token = @token;
        """;

    public const string InsertReminder = """
        INSERT INTO deliveries (id, platform, kind, export_id, body, status, attempts, created_at, window_start_at, next_attempt_at)
        VALUES (@id, @platform, 'reminder', NULL, @body, 'pending', 0, @now, @now, @now);
        """;

    public const string FinishAttempt = """
        UPDATE deliveries
        SET status = @DeliveryStatus, attempts = @Attempt, next_attempt_at = @NextAttemptAt, last_error = @Error,
            delivered_at = CASE WHEN @DeliveryStatus = 'delivered' THEN @At ELSE delivered_at END,
            claim_token = NULL, claim_until = NULL
        WHERE id = @DeliveryId AND claim_token = @ClaimToken;
        """;

    public const string InsertAttempt = """
        INSERT INTO delivery_attempts (id, delivery_id, platform, attempt, at, http_status, status, error, duration_ms)
        SELECT @AttemptId, id, platform, @Attempt, @At, @HttpStatus, @AttemptStatus, @Error, @DurationMs
        FROM deliveries
        WHERE id = @DeliveryId;
        """;

    public const string Resend = """
        UPDATE deliveries
        SET status = 'pending', window_start_at = @now, next_attempt_at = @now, claim_token = NULL, claim_until = NULL
        WHERE id = @deliveryId AND platform = @platform AND status IN ('delivered', 'dead');
        """;

    public const string InsertCheck = """
        INSERT INTO referral_checks (id, referral_id, at, state, http_status, content_sha256, error)
        VALUES (@id, @ReferralId, @At, @State, @HttpStatus, @ContentSha256, @Error);
        """;

    // A gone check adds to the run of gone checks, live and changed end it, an error leaves it as it is.
    public const string Observe = """
        UPDATE referrals
        SET observed_state = @State, observed_http_status = @HttpStatus, observed_at = @At,
            observed_sha256 = COALESCE(@ContentSha256, observed_sha256),
            gone_count = CASE WHEN @State = 'gone' THEN gone_count + 1 WHEN @State = 'error' THEN gone_count ELSE 0 END,
            first_gone_at = CASE WHEN @State = 'gone' THEN COALESCE(first_gone_at, @At) WHEN @State = 'error' THEN first_gone_at ELSE NULL END
        WHERE id = @ReferralId;
        """;

    public const string MarkObservedRemoved = """
        UPDATE referrals
        SET status = 'removed', status_at = first_gone_at, status_note = @note, status_source = 'observed'
        WHERE id = @ReferralId AND gone_count >= @goneAfter AND status IN ('pending', 'exported', 'received');
        """;

    public const string ObservedRemovalEvent = """
        INSERT INTO referral_status_events (id, referral_id, status, at, note, actor, recorded_at)
        SELECT @eventId, id, 'removed', status_at, @note, 'recheck', @now
        FROM referrals
        WHERE id = @ReferralId;
        """;

    public const string NotifiedOpen = """
        SELECT r.id AS ReferralId, r.item_id AS ItemId, r.platform AS Platform, i.url AS Url, r.category AS Category, r.status AS Status,
               r.export_id AS ExportId, e.created_at AS NoticeSentAt, r.reminded_at AS RemindedAt
        FROM referrals r
        JOIN exports e ON e.id = r.export_id
        JOIN items i ON i.id = r.item_id
        WHERE r.status IN ('exported', 'received') AND e.created_at <= @sentBefore;
        """;

    public const string Snapshots = """
        SELECT referral_id AS ReferralId, item_id AS ItemId, sealed_at AS SealedAt, sha256 AS Sha256, snapshot AS Snapshot
        FROM evidence_snapshots
        ORDER BY sealed_at, referral_id;
        """;

    public const string Snapshot = """
        SELECT referral_id AS ReferralId, item_id AS ItemId, sealed_at AS SealedAt, sha256 AS Sha256, snapshot AS Snapshot
        FROM evidence_snapshots
        WHERE referral_id = @referralId;
        """;

    public const string Notices = """
        SELECT r.id AS ReferralId, r.platform AS Platform, r.category AS Category, i.language AS Language, r.status AS Status,
               r.status_source AS StatusSource, e.created_at AS NoticeSentAt, r.status_at AS StatusAt
        FROM referrals r
        JOIN exports e ON e.id = r.export_id
        JOIN items i ON i.id = r.item_id
        WHERE e.created_at >= @from AND e.created_at < @to;
        """;

    public const string FlagDecisions = """
        SELECT i.platform AS Platform, d.label_before AS Label, i.language AS Language, d.decision AS Decision
        FROM decisions d
        JOIN items i ON i.id = d.item_id
        WHERE d.status_before = 'in_review' AND d.at >= @from AND d.at < @to;
        """;

    /// <summary>The referral ids of a reminder, as the JSON array both providers read with their JSON table functions.</summary>
    public static string IdList(IReadOnlyList<string> ids) => System.Text.Json.JsonSerializer.Serialize(ids);
}

internal sealed class WebhookRow
{
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";
    public string UpdatedBy { get; init; } = "";
    public string? PreviousExpiresAt { get; init; }

    public WebhookInfo ToInfo() => new(
        Platform, Url, DbValues.ParseTime(CreatedAt), DbValues.ParseTime(UpdatedAt), UpdatedBy, DbValues.ParseOptionalTime(PreviousExpiresAt));
}

internal sealed class WorkRow
{
    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? ExportId { get; init; }
    public string? Body { get; init; }
    public int Attempts { get; init; }
    public string WindowStartAt { get; init; } = "";
    public string? Url { get; init; }
    public string? Secret { get; init; }
    public string? PreviousSecret { get; init; }
    public string? PreviousExpiresAt { get; init; }

    public DeliveryWork ToWork() => new(
        Id, Platform, Kind, ExportId, Body, Attempts, DbValues.ParseTime(WindowStartAt),
        Url is null || Secret is null ? null : new WebhookTarget(Url, Secret, PreviousSecret, DbValues.ParseOptionalTime(PreviousExpiresAt)));
}

internal sealed class AttemptRow
{
    public string? ExportId { get; init; }
    public int Attempt { get; init; }
    public int? HttpStatus { get; init; }
    public string Status { get; init; } = "";
    public string At { get; init; } = "";
    public string DeliveryId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Error { get; init; }
    public long DurationMs { get; init; }

    public DeliveryAttempt ToAttempt() => new(ExportId, Attempt, HttpStatus, Status, DbValues.ParseTime(At), DeliveryId, Kind, Error, DurationMs);

    /// <summary>The parameters of <see cref="FollowUpSql.FinishAttempt"/> and <see cref="FollowUpSql.InsertAttempt"/>.</summary>
    public static object Parameters(AttemptOutcome o) => new
    {
        AttemptId = Core.Ids.New(),
        o.DeliveryId,
        o.ClaimToken,
        o.Attempt,
        At = DbValues.Time(o.At),
        o.HttpStatus,
        Error = o.Error is { Length: > 2_000 } e ? e[..2_000] : o.Error,
        o.DurationMs,
        o.AttemptStatus,
        o.DeliveryStatus,
        NextAttemptAt = DbValues.Time(o.NextAttemptAt),
    };
}

internal sealed class CheckRow
{
    /// <summary>The parameters of the check's statements.</summary>
    public static object Parameters(CheckResult check, int goneAfter, string now) => new
    {
        id = Core.Ids.New(),
        eventId = Core.Ids.New(),
        check.ReferralId,
        At = DbValues.Time(check.At),
        check.State,
        check.HttpStatus,
        check.ContentSha256,
        Error = check.Error is { Length: > 2_000 } e ? e[..2_000] : check.Error,
        goneAfter,
        note = $"observed gone {goneAfter} times in a row (HTTP {check.HttpStatus})",
        now,
    };
}

internal sealed class NotifiedRow
{
    public string ReferralId { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string Category { get; init; } = "";
    public string Status { get; init; } = "";
    public string ExportId { get; init; } = "";
    public string NoticeSentAt { get; init; } = "";
    public string? RemindedAt { get; init; }

    public NotifiedReferral ToReferral() => new(
        ReferralId, ItemId, Platform, Url, Category, Status, ExportId, DbValues.ParseTime(NoticeSentAt), DbValues.ParseOptionalTime(RemindedAt));
}

internal sealed class OpenRow
{
    public string Id { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Url { get; init; } = "";
    public string? LastContentSha256 { get; init; }

    public OpenReferral ToReferral() => new(Id, Platform, Url, LastContentSha256);
}

internal sealed class SnapshotRow
{
    public string ReferralId { get; init; } = "";
    public string ItemId { get; init; } = "";
    public string SealedAt { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public string Snapshot { get; init; } = "";

    public EvidenceSnapshot ToSnapshot() => new(ReferralId, ItemId, DbValues.ParseTime(SealedAt), Sha256, Snapshot);

    public static object Parameters(EvidenceSnapshot s) => new { s.ReferralId, s.ItemId, SealedAt = DbValues.Time(s.SealedAt), s.Sha256, s.Snapshot };
}

internal sealed class UnsealedRow
{
    public string ReferralId { get; init; } = "";
    public string ItemId { get; init; } = "";
}

internal sealed class NoticeOutcomeRow
{
    public string ReferralId { get; init; } = "";
    public string Platform { get; init; } = "";
    public string Category { get; init; } = "";
    public string? Language { get; init; }
    public string Status { get; init; } = "";
    public string? StatusSource { get; init; }
    public string NoticeSentAt { get; init; } = "";
    public string? StatusAt { get; init; }

    public NoticeOutcome ToOutcome() => new(
        ReferralId, Platform, Category, Language, Status, StatusSource, DbValues.ParseTime(NoticeSentAt), DbValues.ParseOptionalTime(StatusAt));
}

internal sealed class FlagDecisionRow
{
    public string Platform { get; init; } = "";
    public string? Label { get; init; }
    public string? Language { get; init; }
    public string Decision { get; init; } = "";

    public FlagDecision ToDecision() => new(Platform, Label, Language, Decision);
}
