using ContentWatch.Core;
using ContentWatch.Core.Export;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerExportStore(SqlServerConnectionFactory db, TimeProvider time) : IExportStore
{
    // One batch, one transaction. The UPDATE takes each pending referral under an exclusive lock and re-checks
    // "export_id IS NULL" on the latest committed row, so a racing batch waits and then finds the referrals taken:
    // no referral lands in two batches. The export row comes first for the foreign key and goes again when empty.
    // referral_status_events has triggers, so the taken ids go through OUTPUT ... INTO a table variable.
    private const string CreateBatch = """
        SET NOCOUNT ON;
        BEGIN TRY
            DECLARE @taken TABLE (id nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY);
            DECLARE @count int;

            INSERT INTO exports (id, platform, created_at, [count], notifier_name, notifier_email, good_faith_statement)
            VALUES (@id, @platform, @now, 0, @notifierName, @notifierEmail, @goodFaithStatement);

            UPDATE referrals
            SET export_id = @id, status = N'exported', status_at = @now, status_note = NULL
            OUTPUT inserted.id INTO @taken (id)
            WHERE platform = @platform AND status = N'pending' AND export_id IS NULL;
            SET @count = @@ROWCOUNT;

            IF @count = 0
                DELETE FROM exports WHERE id = @id;
            ELSE
            BEGIN
                UPDATE exports SET [count] = @count WHERE id = @id;
                INSERT INTO referral_status_events (id, referral_id, status, at, note, actor, recorded_at)
                SELECT LOWER(CONVERT(char(32), CAST(NEWID() AS binary(16)), 2)), id, N'exported', @now, NULL, N'export:' + @id, @now
                FROM @taken;
            END;

            SELECT @count;
        END TRY
        BEGIN CATCH
            THROW;
        END CATCH;
        """;

    private const string ListBatches = """
        SELECT id AS Id, platform AS Platform, [count] AS Count, created_at AS CreatedAt
        FROM exports
        WHERE platform = @platform
        ORDER BY created_at DESC, seq DESC;
        """;

    private const string ReadExport = ExportRow.SelectById;

    private const string ReadNotices = """
        SELECT r.id AS ReferralId, r.item_id AS ItemId, i.url AS Url, r.category AS Category, r.explanation AS Explanation,
               r.automated_detection AS AutomatedDetection, r.evidence_sha256 AS EvidenceSha256,
               r.reported_at AS ReportedAt, r.decided_at AS DecidedAt
        FROM referrals r
        JOIN items i ON i.id = r.item_id
        WHERE r.export_id = @exportId
        ORDER BY r.created_at, r.seq;
        """;

    public async Task<ExportBatch?> CreateBatchAsync(string platform, Notifier notifier, string goodFaithStatement, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(goodFaithStatement);

        var now = DbValues.Time(time.GetUtcNow());
        var id = Ids.New();
        var count = await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteScalarAsync<int>(new CommandDefinition(
                CreateBatch,
                new { id, platform, now, notifierName = notifier.Name, notifierEmail = notifier.Email, goodFaithStatement },
                transaction,
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return count == 0 ? null : new ExportBatch(id, platform, count, DbValues.ParseTime(now));
    }

    public async Task<IReadOnlyList<ExportBatch>> ListBatchesAsync(string platform, CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<BatchRow>(new CommandDefinition(ListBatches, new { platform }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToBatch()).ToList();
    }

    public Task<ExportDocument?> GetDocumentAsync(string platform, string exportId, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, ct) =>
            {
                var export = await connection.QuerySingleOrDefaultAsync<ExportRow>(
                    new CommandDefinition(ReadExport, new { platform, exportId }, cancellationToken: ct)).ConfigureAwait(false);
                if (export is null)
                {
                    return null;
                }

                var rows = await connection.QueryAsync<NoticeRow>(new CommandDefinition(ReadNotices, new { exportId }, cancellationToken: ct)).ConfigureAwait(false);
                return (ExportDocument?)export.ToDocument(rows);
            },
            cancellationToken);
}
