using ContentWatch.Core;
using ContentWatch.Core.Export;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteExportStore(SqliteConnectionFactory db, TimeProvider time) : IExportStore
{
    public async Task<ExportBatch?> CreateBatchAsync(string platform, Notifier notifier, string goodFaithStatement, CancellationToken cancellationToken)
    {
        const string countPending = "SELECT COUNT(*) FROM referrals WHERE platform = @platform AND status = 'pending' AND export_id IS NULL;";
        const string insertExport = """
            INSERT INTO exports (id, platform, created_at, count, notifier_name, notifier_email, good_faith_statement)
            VALUES (@id, @platform, @now, @count, @notifierName, @notifierEmail, @goodFaithStatement);
            """;
        const string takeReferrals = """
            UPDATE referrals SET export_id = @id, status = 'exported', status_at = @now, status_note = NULL
            WHERE platform = @platform AND status = 'pending' AND export_id IS NULL;
            INSERT INTO referral_status_events (id, referral_id, status, at, note, actor, recorded_at)
            SELECT lower(hex(randomblob(16))), id, 'exported', @now, NULL, 'export:' || @id, @now FROM referrals WHERE export_id = @id;
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(goodFaithStatement);

        var now = time.GetUtcNow();
        var id = Ids.New();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE takes the write lock before the count, so a racing batch cannot take the same referrals.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var count = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(countPending, new { platform }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (count == 0)
        {
            return null;
        }

        var parameters = new
        {
            id,
            platform,
            now = DbValues.Time(now),
            count,
            notifierName = notifier.Name,
            notifierEmail = notifier.Email,
            goodFaithStatement,
        };
        await connection.ExecuteAsync(new CommandDefinition(insertExport, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(takeReferrals, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ExportBatch(id, platform, count, DbValues.ParseTime(DbValues.Time(now)));
    }

    public async Task<IReadOnlyList<ExportBatch>> ListBatchesAsync(string platform, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, platform AS Platform, count AS Count, created_at AS CreatedAt
            FROM exports
            WHERE platform = @platform
            ORDER BY created_at DESC, rowid DESC;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<BatchRow>(new CommandDefinition(sql, new { platform }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToBatch()).ToList();
    }

    public async Task<ExportDocument?> GetDocumentAsync(string platform, string exportId, CancellationToken cancellationToken)
    {
        const string readNotices = """
            SELECT r.id AS ReferralId, r.item_id AS ItemId, i.url AS Url, r.category AS Category, r.explanation AS Explanation,
                   r.automated_detection AS AutomatedDetection, r.evidence_sha256 AS EvidenceSha256,
                   r.reported_at AS ReportedAt, r.decided_at AS DecidedAt
            FROM referrals r
            JOIN items i ON i.id = r.item_id
            WHERE r.export_id = @exportId
            ORDER BY r.created_at, r.rowid;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var export = await connection.QuerySingleOrDefaultAsync<ExportRow>(
            new CommandDefinition(ExportRow.SelectById, new { platform, exportId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (export is null)
        {
            return null;
        }

        var rows = await connection.QueryAsync<NoticeRow>(new CommandDefinition(readNotices, new { exportId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return export.ToDocument(rows);
    }
}
