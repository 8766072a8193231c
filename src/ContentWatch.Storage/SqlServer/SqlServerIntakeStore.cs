using ContentWatch.Core;
using ContentWatch.Core.Intake;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Stores a call's reports in one transaction, one round trip per report. The duplicate look-up holds range locks
/// (UPDLOCK, HOLDLOCK) on both unique keys, so a concurrent call with the same URL or text waits and then links to the
/// item this one made. Should two calls still race past each other (or deadlock), the unique constraints refuse the
/// second item and the whole transaction runs again, this time finding the first item.
/// </summary>
public sealed class SqlServerIntakeStore(SqlServerConnectionFactory db, TimeProvider time) : IIntakeStore
{
    private const string MarkTaken = """
        SET NOCOUNT ON;
        INSERT INTO scan_taken (source, [key], taken_at)
        SELECT @source, @key, @takenAt
        WHERE NOT EXISTS (
            SELECT 1 FROM scan_taken WITH (UPDLOCK, HOLDLOCK)
            WHERE source = @source AND key_hash = CAST(HASHBYTES('SHA2_256', @key) AS binary(32)));
        SELECT @@ROWCOUNT;
        """;

    // Two look-ups, one per unique index (an OR would scan the platform's items); the first item wins when the URL
    // key and the text key point at different items. Answers the existing item's id, or NULL for a new item.
    private const string StoreReport = """
        SET NOCOUNT ON;
        BEGIN TRY
            DECLARE @item_id nvarchar(32);

            SELECT TOP (1) @item_id = found.id
            FROM (
                SELECT id, first_reported_at, seq FROM items WITH (UPDLOCK, HOLDLOCK)
                WHERE platform = @platform AND url_key_hash = CAST(HASHBYTES('SHA2_256', @url_key) AS binary(32))
                UNION ALL
                SELECT id, first_reported_at, seq FROM items WITH (UPDLOCK, HOLDLOCK)
                WHERE platform = @platform AND text_key = @text_key) AS found
            ORDER BY found.first_reported_at, found.seq;

            IF @item_id IS NULL
                INSERT INTO items (id, platform, url, url_key, text, text_sha256, text_key, kind, external_id, title, language,
                                   author, posted_at, status, report_count, first_reported_at, last_reported_at)
                VALUES (@new_item_id, @platform, @url, @url_key, @text, @text_sha256, @text_key, @kind, @external_id, @title, @language,
                        @author, @posted_at, N'pending', 1, @now, @now);
            ELSE
                UPDATE items
                SET report_count = report_count + 1,
                    last_reported_at = CASE WHEN last_reported_at < @now THEN @now ELSE last_reported_at END
                WHERE id = @item_id;

            INSERT INTO reports (id, item_id, source, received_at, url, text, title, kind, language, external_id, reporter_name,
                                 reporter_email, reporter_organisation, author, posted_at, duplicate)
            VALUES (@report_id, COALESCE(@item_id, @new_item_id), @source, @now, @url,
                    CASE WHEN @item_id IS NULL THEN NULL ELSE @text END,
                    CASE WHEN @item_id IS NULL THEN NULL ELSE @title END,
                    CASE WHEN @item_id IS NULL THEN NULL ELSE @kind END,
                    CASE WHEN @item_id IS NULL THEN NULL ELSE @language END,
                    @external_id, @reporter_name, @reporter_email, @reporter_organisation, @author, @posted_at,
                    CASE WHEN @item_id IS NULL THEN 0 ELSE 1 END);

            SELECT @item_id;
        END TRY
        BEGIN CATCH
            THROW;
        END CATCH;
        """;

    public async Task<IReadOnlyList<IntakeResult>> StoreReportsAsync(
        IReadOnlyList<ReportInput> reports, string source, ScanMark? taken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        cancellationToken.ThrowIfCancellationRequested();

        return await db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var now = DbValues.Time(time.GetUtcNow());
                if (taken is not null)
                {
                    var marked = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                        MarkTaken, new { source = taken.Source, key = taken.Key, takenAt = now }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    if (marked == 0)
                    {
                        return (IReadOnlyList<IntakeResult>)[];
                    }
                }

                var results = new List<IntakeResult>(reports.Count);
                foreach (var report in reports)
                {
                    ct.ThrowIfCancellationRequested();
                    var newItemId = Ids.New();
                    var reportId = Ids.New();
                    var existing = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                        StoreReport,
                        new
                        {
                            new_item_id = newItemId,
                            report_id = reportId,
                            platform = report.Platform,
                            url = report.Url,
                            url_key = DuplicateKeys.UrlKey(report.Url),
                            text = report.Text,
                            text_sha256 = DuplicateKeys.Sha256Hex(report.Text),
                            text_key = DuplicateKeys.TextKey(report.Text),
                            kind = report.Kind,
                            external_id = report.ExternalId,
                            title = report.Title,
                            language = report.Language,
                            author = report.Author,
                            posted_at = DbValues.Time(report.PostedAt),
                            source,
                            now,
                            reporter_name = report.Reporter?.Name,
                            reporter_email = report.Reporter?.Email,
                            reporter_organisation = report.Reporter?.Organisation,
                        },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                    results.Add(new IntakeResult(existing ?? newItemId, reportId, existing));
                }

                return results;
            },
            cancellationToken,
            alsoRetryOn: SqlRetryPolicy.IsDuplicateKey).ConfigureAwait(false);
    }
}
