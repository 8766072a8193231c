using ContentWatch.Core;
using ContentWatch.Core.Delivery;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerDeliveryStore(SqlServerConnectionFactory db, TimeProvider time) : IDeliveryStore
{
    // UPDLOCK + HOLDLOCK also lock the key when the row is missing, so two first settings do not both insert. On a
    // rotation the stored secret becomes the previous one (the right-hand sides read the row as it was).
    private const string SetWebhook = """
        SET NOCOUNT ON;
        UPDATE platform_webhooks WITH (UPDLOCK, HOLDLOCK)
        SET url = @url, previous_secret = secret, previous_expires_at = @previousExpiresAt, secret = @secret, updated_at = @now, updated_by = @actor
        WHERE platform = @platform;
        IF @@ROWCOUNT = 0
            INSERT INTO platform_webhooks (platform, url, secret, previous_secret, previous_expires_at, created_at, updated_at, updated_by)
            VALUES (@platform, @url, @secret, NULL, NULL, @now, @now, @actor);
        """;

    private const string Webhook = FollowUpSql.Webhook;

    // The unique index on export_id keeps one delivery per batch; a racing sweep's duplicate reruns the transaction.
    private const string CreateExportDeliveries = """
        SET NOCOUNT ON;
        INSERT INTO deliveries (id, platform, kind, export_id, body, status, attempts, created_at, window_start_at, next_attempt_at)
        OUTPUT inserted.id
        SELECT LOWER(CONVERT(char(32), CAST(NEWID() AS binary(16)), 2)), e.platform, N'export', e.id, NULL, N'pending', 0, @now, @now, @now
        FROM exports e
        JOIN platform_webhooks w ON w.platform = e.platform
        WHERE e.created_at >= w.created_at AND NOT EXISTS (SELECT 1 FROM deliveries d WITH (UPDLOCK, HOLDLOCK) WHERE d.export_id = e.id);
        """;

    private const string InsertReminder = FollowUpSql.InsertReminder;

    private const string MarkReminded = """
        UPDATE referrals SET reminded_at = @now
        WHERE id IN (SELECT id FROM OPENJSON(@ids) WITH (id nvarchar(32) '$'));
        """;

    // A claim is a lease, read and written on the server's clock (as the classification lease): the one clock every node
    // shares. next_attempt_at is the delivery schedule, set and read on the nodes' clock.
    private const string Claim = SqlServerClock.NowAndLease + """
        UPDATE deliveries SET claim_token = @token, claim_until = @until
        WHERE id = @id AND status = N'pending' AND next_attempt_at <= @dueBy AND (claim_until IS NULL OR claim_until < @now);
        """;

    private const string ClaimedWork = FollowUpSql.ClaimedWork;

    private const string FinishAttempt = FollowUpSql.FinishAttempt;

    private const string InsertAttempt = FollowUpSql.InsertAttempt;

    private const string Due = SqlServerClock.Now + """
        SELECT TOP (@limit) id FROM deliveries
        WHERE status = N'pending' AND next_attempt_at <= @dueBy AND (claim_until IS NULL OR claim_until < @now)
        ORDER BY next_attempt_at, seq;
        """;

    private const string Attempts = """
        SELECT TOP (@limit) d.export_id AS ExportId, a.attempt AS Attempt, a.http_status AS HttpStatus, a.status AS Status, a.at AS At,
               a.delivery_id AS DeliveryId, d.kind AS Kind, a.error AS Error, a.duration_ms AS DurationMs
        FROM delivery_attempts a
        JOIN deliveries d ON d.id = a.delivery_id
        WHERE a.platform = @platform
        ORDER BY a.at DESC, a.seq DESC;
        """;

    private const string Resend = FollowUpSql.Resend;

    public async Task<WebhookInfo> SetWebhookAsync(
        string platform, string url, string protectedSecret, string actor, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken)
    {
        var parameters = new { platform, url, secret = protectedSecret, actor, now = DbValues.Time(time.GetUtcNow()), previousExpiresAt = DbValues.Time(previousExpiresAt) };
        var row = await db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(SetWebhook, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return await connection.QuerySingleAsync<WebhookRow>(new CommandDefinition(Webhook, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            },
            cancellationToken,
            SqlRetryPolicy.IsDuplicateKey).ConfigureAwait(false);
        return row.ToInfo();
    }

    public async Task<WebhookInfo?> GetWebhookAsync(string platform, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(Webhook, new { platform }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<string>> CreateExportDeliveriesAsync(CancellationToken cancellationToken)
    {
        var ids = await db.InTransactionAsync(
            (connection, transaction, ct) => connection.QueryAsync<string>(new CommandDefinition(
                CreateExportDeliveries, new { now = DbValues.Time(time.GetUtcNow()) }, transaction, cancellationToken: ct)),
            cancellationToken,
            SqlRetryPolicy.IsDuplicateKey).ConfigureAwait(false);
        return ids.AsList();
    }

    public Task<string> CreateReminderAsync(string platform, string body, IReadOnlyList<string> referralIds, CancellationToken cancellationToken)
    {
        var id = Ids.New();
        var now = DbValues.Time(time.GetUtcNow());
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertReminder, new { id, platform, body, now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(MarkReminded, new { now, ids = FollowUpSql.IdList(referralIds) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return id;
            },
            cancellationToken);
    }

    public Task<DeliveryWork?> ClaimAsync(string deliveryId, string claimToken, TimeSpan claimFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var parameters = new { id = deliveryId, token = claimToken, dueBy = DbValues.Time(now + IDeliveryStore.EarlyBy), lease_ms = (int)claimFor.TotalMilliseconds };
        return db.InTransactionAsync<DeliveryWork?>(
            async (connection, transaction, ct) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(Claim, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false) == 0)
                {
                    return null;
                }

                return (await connection.QuerySingleAsync<WorkRow>(new CommandDefinition(ClaimedWork, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToWork();
            },
            cancellationToken);
    }

    public Task<bool> RecordAttemptAsync(AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var parameters = AttemptRow.Parameters(outcome);
        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(FinishAttempt, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await connection.ExecuteAsync(new CommandDefinition(InsertAttempt, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        var ids = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<string>(new CommandDefinition(Due, new { dueBy = DbValues.Time(time.GetUtcNow()), limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return ids.AsList();
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string platform, int limit, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<AttemptRow>(new CommandDefinition(Attempts, new { platform, limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToAttempt()).ToList();
    }

    public async Task<bool> ResendAsync(string platform, string deliveryId, CancellationToken cancellationToken) =>
        await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(Resend, new { platform, deliveryId, now = DbValues.Time(time.GetUtcNow()) }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;
}
