using System.Globalization;
using ContentWatch.Core;
using ContentWatch.Core.Delivery;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteDeliveryStore(SqliteConnectionFactory db, TimeProvider time) : IDeliveryStore
{
    public async Task<WebhookInfo> SetWebhookAsync(
        string platform, string url, string protectedSecret, string actor, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken)
    {
        // On a rotation the stored secret becomes the previous one (the right-hand sides read the row as it was).
        const string upsert = """
            INSERT INTO platform_webhooks (platform, url, secret, previous_secret, previous_expires_at, created_at, updated_at, updated_by)
            VALUES (@platform, @url, @secret, NULL, NULL, @now, @now, @actor)
            ON CONFLICT (platform) DO UPDATE
            SET url = excluded.url, previous_secret = secret, previous_expires_at = @previousExpiresAt, secret = excluded.secret,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            upsert,
            new { platform, url, secret = protectedSecret, actor, now = DbValues.Time(time.GetUtcNow()), previousExpiresAt = DbValues.Time(previousExpiresAt) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<WebhookRow>(new CommandDefinition(FollowUpSql.Webhook, new { platform }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row.ToInfo();
    }

    public async Task<WebhookInfo?> GetWebhookAsync(string platform, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(FollowUpSql.Webhook, new { platform }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<string>> CreateExportDeliveriesAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO deliveries (id, platform, kind, export_id, body, status, attempts, created_at, window_start_at, next_attempt_at)
            SELECT lower(hex(randomblob(16))), e.platform, 'export', e.id, NULL, 'pending', 0, @now, @now, @now
            FROM exports e
            JOIN platform_webhooks w ON w.platform = e.platform
            WHERE e.created_at >= w.created_at AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.export_id = e.id)
            ORDER BY e.created_at
            RETURNING id;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            sql, new { now = DbValues.Time(time.GetUtcNow()) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids;
    }

    public async Task<string> CreateReminderAsync(string platform, string body, IReadOnlyList<string> referralIds, CancellationToken cancellationToken)
    {
        const string remind = "UPDATE referrals SET reminded_at = @now WHERE id IN (SELECT value FROM json_each(@ids));";

        var id = Ids.New();
        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.InsertReminder, new { id, platform, body, now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(remind, new { now, ids = FollowUpSql.IdList(referralIds) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async Task<DeliveryWork?> ClaimAsync(string deliveryId, string claimToken, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        // A claim is a lease, on the database's clock as the classification lease; next_attempt_at is on the node's clock.
        const string claim = """
            UPDATE deliveries SET claim_token = @token, claim_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @lease)
            WHERE id = @id AND status = 'pending' AND next_attempt_at <= @dueBy
              AND (claim_until IS NULL OR claim_until < strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            """;

        var parameters = new
        {
            id = deliveryId,
            token = claimToken,
            dueBy = DbValues.Time(time.GetUtcNow() + IDeliveryStore.EarlyBy),
            lease = string.Create(CultureInfo.InvariantCulture, $"+{claimFor.TotalSeconds:0.000} seconds"),
        };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await connection.ExecuteAsync(new CommandDefinition(claim, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
        {
            return null;
        }

        var row = await connection.QuerySingleAsync<WorkRow>(new CommandDefinition(FollowUpSql.ClaimedWork, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.ToWork();
    }

    public async Task<bool> RecordAttemptAsync(AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var parameters = AttemptRow.Parameters(outcome);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.FinishAttempt, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(FollowUpSql.InsertAttempt, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<string>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id FROM deliveries
            WHERE status = 'pending' AND next_attempt_at <= @now AND (claim_until IS NULL OR claim_until < strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ORDER BY next_attempt_at
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(sql, new { now = DbValues.Time(time.GetUtcNow()), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.AsList();
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string platform, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.export_id AS ExportId, a.attempt AS Attempt, a.http_status AS HttpStatus, a.status AS Status, a.at AS At,
                   a.delivery_id AS DeliveryId, d.kind AS Kind, a.error AS Error, a.duration_ms AS DurationMs
            FROM delivery_attempts a
            JOIN deliveries d ON d.id = a.delivery_id
            WHERE a.platform = @platform
            ORDER BY a.at DESC, a.rowid DESC
            LIMIT @limit;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(sql, new { platform, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToAttempt()).ToList();
    }

    public async Task<bool> ResendAsync(string platform, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            FollowUpSql.Resend, new { platform, deliveryId, now = DbValues.Time(time.GetUtcNow()) }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }
}
