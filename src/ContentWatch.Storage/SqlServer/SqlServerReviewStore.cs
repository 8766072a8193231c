using ContentWatch.Core;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Rows;
using Dapper;
using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerReviewStore(SqlServerConnectionFactory db, TimeProvider time) : IReviewStore
{
    // ix_items_review_queue holds exactly the queue in queue order. LEFT takes 281 UTF-16 units (or code points under
    // a supplementary-character collation), so DbValues.Excerpt can cut at 280 without splitting a surrogate pair.
    private const string Queue = """
        SELECT TOP (@limit) id AS Id, label AS Label, score AS Score, report_count AS ReportCount, platform AS Platform, url AS Url,
               LEFT(text, 281) AS Text
        FROM items
        WHERE status = N'in_review'
        ORDER BY priority DESC, watchlisted DESC, first_reported_at, seq;
        """;

    private const string GetItem = ItemRow.SelectById;

    // One fixed statement per filter combination, so each can use its index ("@x IS NULL OR" defeats them).
    private const string ListAll = """
        SELECT TOP (@limit) id AS Id, platform AS Platform, url AS Url, status AS Status, label AS Label, score AS Score,
               report_count AS ReportCount, first_reported_at AS FirstReportedAt
        FROM items
        ORDER BY first_reported_at DESC, seq DESC;
        """;

    private const string ListByStatus = """
        SELECT TOP (@limit) id AS Id, platform AS Platform, url AS Url, status AS Status, label AS Label, score AS Score,
               report_count AS ReportCount, first_reported_at AS FirstReportedAt
        FROM items
        WHERE status = @status
        ORDER BY first_reported_at DESC, seq DESC;
        """;

    private const string ListByPlatform = """
        SELECT TOP (@limit) id AS Id, platform AS Platform, url AS Url, status AS Status, label AS Label, score AS Score,
               report_count AS ReportCount, first_reported_at AS FirstReportedAt
        FROM items
        WHERE platform = @platform
        ORDER BY first_reported_at DESC, seq DESC;
        """;

    private const string ListByStatusAndPlatform = """
        SELECT TOP (@limit) id AS Id, platform AS Platform, url AS Url, status AS Status, label AS Label, score AS Score,
               report_count AS ReportCount, first_reported_at AS FirstReportedAt
        FROM items
        WHERE status = @status AND platform = @platform
        ORDER BY first_reported_at DESC, seq DESC;
        """;

    // UPDLOCK + HOLDLOCK on the item: decisions on one item run one after another, each seeing the last one's result.
    // The referral is locked too: under read-committed snapshot (Azure SQL's default) an unlocked table is read as of
    // the statement's start, so a reject that waited for a confirm would see the item confirmed but not its referral.
    // A locking read sees the latest committed row; the worst case is a deadlock, which reruns the transaction.
    private const string ReadItemForDecision = """
        SELECT i.status AS Status, i.label AS Label, i.score AS Score, i.platform AS Platform, i.text_sha256 AS TextSha256,
               i.first_reported_at AS FirstReportedAt, r.id AS ReferralId, r.category AS ReferralCategory
        FROM items i WITH (UPDLOCK, HOLDLOCK)
        LEFT JOIN referrals r WITH (UPDLOCK, HOLDLOCK) ON r.item_id = i.id
        WHERE i.id = @ItemId;
        """;

    private const string InsertReferral = """
        INSERT INTO referrals (id, item_id, platform, category, explanation, status, created_at, decided_at, reported_at,
                               automated_detection, evidence_sha256)
        VALUES (@id, @itemId, @platform, @category, @explanation, @status, @now, @now, @reportedAt,
                @automatedDetection, @evidenceSha256);
        """;

    private const string ReferralOfItem = "SELECT id FROM referrals WHERE item_id = @itemId;";

    private const string InsertDecision = """
        INSERT INTO decisions (id, item_id, actor, at, decision, category, reason, status_before, label_before, score_before,
                               status_after, referral_id, cluster_id, prev_hash, hash)
        VALUES (@id, @itemId, @actor, @at, @decision, @category, @reason, @statusBefore, @labelBefore, @scoreBefore,
                @statusAfter, @referralId, @clusterId, @prevHash, @hash);
        """;

    private const string SetStatus = "UPDATE items SET status = @status, claim_token = NULL, claim_until = NULL WHERE id = @itemId;";

    // The decisions chain's last link, under the audit chain lock, so decisions on different items still go into the
    // chain one after another.
    private const string LastAuditHash = SqlServerAuditStore.ChainLock + "SELECT TOP (1) hash FROM decisions ORDER BY seq DESC;";

    private const string Audit = """
        SELECT id AS Id, item_id AS ItemId, actor AS Actor, at AS At, decision AS Decision, category AS Category,
               reason AS Reason, status_before AS StatusBefore, label_before AS LabelBefore, score_before AS ScoreBefore,
               status_after AS StatusAfter, referral_id AS ReferralId, cluster_id AS ClusterId
        FROM decisions
        WHERE item_id = @itemId
        ORDER BY at, seq;
        """;

    private const string ReportsOfItem = """
        SELECT id AS Id, source AS Source, received_at AS ReceivedAt, url AS Url, duplicate AS Duplicate, text AS Text,
               title AS Title, external_id AS ExternalId, author AS Author, posted_at AS PostedAt,
               reporter_name AS ReporterName, reporter_email AS ReporterEmail, reporter_organisation AS ReporterOrganisation
        FROM reports
        WHERE item_id = @itemId
        ORDER BY received_at, seq;
        """;

    public async Task<IReadOnlyList<QueueEntry>> GetQueueAsync(int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<QueueRow>(new CommandDefinition(Queue, new { limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<ItemDetails?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(GetItem, new { id }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToDetails();
    }

    public async Task<IReadOnlyList<ItemSummary>> ListItemsAsync(string? status, string? platform, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var sql = (status, platform) switch
        {
            (null, null) => ListAll,
            (not null, null) => ListByStatus,
            (null, not null) => ListByPlatform,
            _ => ListByStatusAndPlatform,
        };
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, new { status, platform, limit }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToSummary()).ToList();
    }

    public Task<DecisionResult> RecordDecisionAsync(DecisionCommand command, string explanation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(explanation);
        var confirm = DecisionRow.Confirms(command);

        return db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                var item = await connection.QuerySingleOrDefaultAsync<DecisionRow>(
                    new CommandDefinition(ReadItemForDecision, new { command.ItemId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (DecisionRow.Refuses(item, command, out var refusal))
                {
                    return refusal;
                }

                var referralId = confirm ? await ReferAsync(connection, transaction, command, item, explanation, now, ct).ConfigureAwait(false) : null;
                var statusAfter = confirm ? ItemStatus.Confirmed : ItemStatus.Rejected;
                var previousHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(LastAuditHash, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    InsertDecision, item.AuditParameters(command, now, statusAfter, referralId, previousHash), transaction, cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    SetStatus, new { status = statusAfter, itemId = command.ItemId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return new DecisionResult(DecisionOutcome.Recorded, referralId);
            },
            cancellationToken);
    }

    /// <summary>
    /// The item's one referral: inserted now, or, when the unique constraint on <c>item_id</c> says it exists, the
    /// existing one. A duplicate-key error ends only the statement, so the transaction goes on.
    /// </summary>
    private static async Task<string> ReferAsync(
        SqlConnection connection, SqlTransaction transaction, DecisionCommand command, DecisionRow item, string explanation, string now, CancellationToken ct)
    {
        if (item.ReferralId is not null)
        {
            return item.ReferralId;
        }

        var id = Ids.New();
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                InsertReferral, item.ReferralParameters(id, command, explanation, now), transaction, cancellationToken: ct)).ConfigureAwait(false);
            return id;
        }
        catch (SqlException e) when (SqlRetryPolicy.IsDuplicateKey(e))
        {
            return await connection.ExecuteScalarAsync<string>(
                new CommandDefinition(ReferralOfItem, new { itemId = command.ItemId }, transaction, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Item {command.ItemId}: the referral insert reported a duplicate, but no referral was found.", e);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string itemId, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<AuditRow>(new CommandDefinition(Audit, new { itemId }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<IReadOnlyList<ReportRecord>> GetReportsAsync(string itemId, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<ReportRow>(new CommandDefinition(ReportsOfItem, new { itemId }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }
}
