using ContentWatch.Core;
using ContentWatch.Core.Review;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteReviewStore(SqliteConnectionFactory db, TimeProvider time) : IReviewStore
{
    public async Task<IReadOnlyList<QueueEntry>> GetQueueAsync(int limit, CancellationToken cancellationToken)
    {
        // The partial index holds exactly the queue in queue order; without the hint the planner may pick the status
        // index and sort. substr counts code points, so 280 of them hold at least 280 UTF-16 characters for the cut.
        const string sql = """
            SELECT id AS Id, label AS Label, score AS Score, report_count AS ReportCount, platform AS Platform, url AS Url,
                   substr(text, 1, 280) AS Text
            FROM items INDEXED BY ix_items_review_queue
            WHERE status = 'in_review'
            ORDER BY (score * report_count) DESC, watchlisted DESC, first_reported_at, rowid
            LIMIT @limit;
            """;

        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<QueueRow>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<ItemDetails?> GetItemAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(ItemRow.SelectById, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDetails();
    }

    public async Task<IReadOnlyList<ItemSummary>> ListItemsAsync(string? status, string? platform, int limit, CancellationToken cancellationToken)
    {
        const string select = """
            SELECT id AS Id, platform AS Platform, url AS Url, status AS Status, label AS Label, score AS Score,
                   report_count AS ReportCount, first_reported_at AS FirstReportedAt
            FROM items
            """;
        const string order = """

            ORDER BY first_reported_at DESC, rowid DESC
            LIMIT @limit;
            """;

        if (limit <= 0)
        {
            return [];
        }

        // One fixed statement per filter combination, so each can use its index ("@x IS NULL OR" defeats them).
        var sql = (status, platform) switch
        {
            (null, null) => select + order,
            (not null, null) => select + "\nWHERE status = @status" + order,
            (null, not null) => select + "\nWHERE platform = @platform" + order,
            _ => select + "\nWHERE status = @status AND platform = @platform" + order,
        };

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, new { status, platform, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToSummary()).ToList();
    }

    public async Task<DecisionResult> RecordDecisionAsync(DecisionCommand command, string explanation, CancellationToken cancellationToken)
    {
        const string readItem = """
            SELECT i.status AS Status, i.label AS Label, i.score AS Score, i.platform AS Platform, i.text_sha256 AS TextSha256,
                   i.first_reported_at AS FirstReportedAt, r.id AS ReferralId, r.category AS ReferralCategory
            FROM items i
            LEFT JOIN referrals r ON r.item_id = i.id
            WHERE i.id = @ItemId;
            """;
        const string insertReferral = """
            INSERT INTO referrals (id, item_id, platform, category, explanation, status, created_at, decided_at, reported_at,
                                   automated_detection, evidence_sha256)
            VALUES (@id, @itemId, @platform, @category, @explanation, @status, @now, @now, @reportedAt,
                    @automatedDetection, @evidenceSha256)
            ON CONFLICT (item_id) DO NOTHING;
            SELECT id FROM referrals WHERE item_id = @itemId;
            """;
        const string insertAudit = """
            INSERT INTO decisions (id, item_id, actor, at, decision, category, reason, status_before, label_before, score_before,
                                   status_after, referral_id, cluster_id, prev_hash, hash)
            VALUES (@id, @itemId, @actor, @at, @decision, @category, @reason, @statusBefore, @labelBefore, @scoreBefore,
                    @statusAfter, @referralId, @clusterId, @prevHash, @hash);
            """;
        const string setStatus = "UPDATE items SET status = @status, claim_token = NULL, claim_until = NULL WHERE id = @itemId;";

        // The write lock (BEGIN IMMEDIATE) is held, so no other decision can come between this read and the insert.
        const string lastHash = "SELECT hash FROM decisions ORDER BY rowid DESC LIMIT 1;";

        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(explanation);
        var confirm = DecisionRow.Confirms(command);

        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var item = await connection.QuerySingleOrDefaultAsync<DecisionRow>(
            new CommandDefinition(readItem, new { command.ItemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (DecisionRow.Refuses(item, command, out var refusal))
        {
            return refusal;
        }

        string? referralId = null;
        if (confirm)
        {
            referralId = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                insertReferral, item.ReferralParameters(Ids.New(), command, explanation, now), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var statusAfter = confirm ? ItemStatus.Confirmed : ItemStatus.Rejected;
        var previousHash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(lastHash, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            insertAudit, item.AuditParameters(command, now, statusAfter, referralId, previousHash), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            setStatus, new { status = statusAfter, itemId = command.ItemId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new DecisionResult(DecisionOutcome.Recorded, referralId);
    }

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string itemId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, item_id AS ItemId, actor AS Actor, at AS At, decision AS Decision, category AS Category,
                   reason AS Reason, status_before AS StatusBefore, label_before AS LabelBefore, score_before AS ScoreBefore,
                   status_after AS StatusAfter, referral_id AS ReferralId, cluster_id AS ClusterId
            FROM decisions
            WHERE item_id = @itemId
            ORDER BY at, rowid;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    public async Task<IReadOnlyList<ReportRecord>> GetReportsAsync(string itemId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, source AS Source, received_at AS ReceivedAt, url AS Url, duplicate AS Duplicate, text AS Text,
                   title AS Title, external_id AS ExternalId, author AS Author, posted_at AS PostedAt,
                   reporter_name AS ReporterName, reporter_email AS ReporterEmail, reporter_organisation AS ReporterOrganisation
            FROM reports
            WHERE item_id = @itemId
            ORDER BY received_at, rowid;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(sql, new { itemId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }
}
