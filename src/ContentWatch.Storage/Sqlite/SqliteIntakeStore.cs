using ContentWatch.Core;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage.Sqlite;

/// <summary>
/// Stores reports in one <c>BEGIN IMMEDIATE</c> transaction. Batches of up to a thousand reports run through four
/// prepared commands bound again for each report, rather than a command (and a statement compile) per report.
/// </summary>
public sealed class SqliteIntakeStore(SqliteConnectionFactory db, TimeProvider time) : IIntakeStore
{
    public async Task<IReadOnlyList<IntakeResult>> StoreReportsAsync(
        IReadOnlyList<ReportInput> reports, string source, ScanMark? taken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        cancellationToken.ThrowIfCancellationRequested();

        const string markTaken = """
            INSERT INTO scan_taken (source, key, taken_at) VALUES (@source, @key, @takenAt)
            ON CONFLICT (source, key) DO NOTHING;
            """;

        var now = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);

        if (taken is not null)
        {
            var marked = await connection.ExecuteAsync(new CommandDefinition(
                markTaken, new { source = taken.Source, key = taken.Key, takenAt = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (marked == 0)
            {
                return [];
            }
        }

        var results = new List<IntakeResult>(reports.Count);
        if (reports.Count > 0)
        {
            await using var statements = new Statements(connection, transaction);
            foreach (var report in reports)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await statements.StoreAsync(report, source, now, cancellationToken).ConfigureAwait(false));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>The prepared commands of one intake transaction.</summary>
    private sealed class Statements : IAsyncDisposable
    {
        // Two lookups, one per unique index (an OR would scan the platform's items). The first item wins when the
        // URL key and the text key point at different items.
        private const string FindItem = """
            SELECT id FROM (
                SELECT id, first_reported_at, rowid AS seq FROM items WHERE platform = @platform AND url_key = @url_key
                UNION ALL
                SELECT id, first_reported_at, rowid AS seq FROM items WHERE platform = @platform AND text_key = @text_key)
            ORDER BY first_reported_at, seq
            LIMIT 1;
            """;

        private const string InsertItem = """
            INSERT INTO items (id, platform, url, url_key, text, text_sha256, text_key, kind, external_id, title, language,
                               author, posted_at, status, report_count, first_reported_at, last_reported_at)
            VALUES (@id, @platform, @url, @url_key, @text, @text_sha256, @text_key, @kind, @external_id, @title, @language,
                    @author, @posted_at, @status, 1, @now, @now);
            """;

        private const string CountDuplicate = """
            UPDATE items
            SET report_count = report_count + 1,
                last_reported_at = CASE WHEN last_reported_at < @now THEN @now ELSE last_reported_at END
            WHERE id = @id;
            """;

        private const string InsertReport = """
            INSERT INTO reports (id, item_id, source, received_at, url, text, title, kind, language, external_id, reporter_name,
                                 reporter_email, reporter_organisation, author, posted_at, duplicate)
            VALUES (@id, @item_id, @source, @now, @url, @text, @title, @kind, @language, @external_id, @reporter_name,
                    @reporter_email, @reporter_organisation, @author, @posted_at, @duplicate);
            """;

        private readonly SqliteCommand findItem;
        private readonly SqliteCommand insertItem;
        private readonly SqliteCommand countDuplicate;
        private readonly SqliteCommand insertReport;

        public Statements(SqliteConnection connection, SqliteTransaction transaction)
        {
            findItem = SqliteCommands.Prepare(connection, transaction, FindItem, "@platform", "@url_key", "@text_key");
            insertItem = SqliteCommands.Prepare(connection, transaction, InsertItem,
                "@id", "@platform", "@url", "@url_key", "@text", "@text_sha256", "@text_key", "@kind", "@external_id", "@title",
                "@language", "@author", "@posted_at", "@status", "@now");
            countDuplicate = SqliteCommands.Prepare(connection, transaction, CountDuplicate, "@id", "@now");
            insertReport = SqliteCommands.Prepare(connection, transaction, InsertReport,
                "@id", "@item_id", "@source", "@now", "@url", "@text", "@title", "@kind", "@language", "@external_id", "@reporter_name", "@reporter_email",
                "@reporter_organisation", "@author", "@posted_at", "@duplicate");
        }

        public async Task<IntakeResult> StoreAsync(ReportInput report, string source, string now, CancellationToken cancellationToken)
        {
            var urlKey = DuplicateKeys.UrlKey(report.Url);
            var textKey = DuplicateKeys.TextKey(report.Text);

            Bind(findItem, "@platform", report.Platform);
            Bind(findItem, "@url_key", urlKey);
            Bind(findItem, "@text_key", textKey);
            var firstItemId = (string?)await findItem.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);

            string itemId;
            if (firstItemId is null)
            {
                itemId = Ids.New();
                Bind(insertItem, "@id", itemId);
                Bind(insertItem, "@platform", report.Platform);
                Bind(insertItem, "@url", report.Url);
                Bind(insertItem, "@url_key", urlKey);
                Bind(insertItem, "@text", report.Text);
                Bind(insertItem, "@text_sha256", DuplicateKeys.Sha256Hex(report.Text));
                Bind(insertItem, "@text_key", textKey);
                Bind(insertItem, "@kind", report.Kind);
                Bind(insertItem, "@external_id", report.ExternalId);
                Bind(insertItem, "@title", report.Title);
                Bind(insertItem, "@language", report.Language);
                Bind(insertItem, "@author", report.Author);
                Bind(insertItem, "@posted_at", DbValues.Time(report.PostedAt));
                Bind(insertItem, "@status", ItemStatus.Pending);
                Bind(insertItem, "@now", now);
                await insertItem.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                itemId = firstItemId;
                Bind(countDuplicate, "@id", itemId);
                Bind(countDuplicate, "@now", now);
                await countDuplicate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var reportId = Ids.New();
            Bind(insertReport, "@id", reportId);
            Bind(insertReport, "@item_id", itemId);
            Bind(insertReport, "@source", source);
            Bind(insertReport, "@now", now);
            Bind(insertReport, "@url", report.Url);
            var duplicate = firstItemId is not null;
            Bind(insertReport, "@text", duplicate ? report.Text : null);
            Bind(insertReport, "@title", duplicate ? report.Title : null);
            Bind(insertReport, "@kind", duplicate ? report.Kind : null);
            Bind(insertReport, "@language", duplicate ? report.Language : null);
            Bind(insertReport, "@external_id", report.ExternalId);
            Bind(insertReport, "@reporter_name", report.Reporter?.Name);
            Bind(insertReport, "@reporter_email", report.Reporter?.Email);
            Bind(insertReport, "@reporter_organisation", report.Reporter?.Organisation);
            Bind(insertReport, "@author", report.Author);
            Bind(insertReport, "@posted_at", DbValues.Time(report.PostedAt));
            Bind(insertReport, "@duplicate", duplicate ? 1 : 0);
            await insertReport.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            return new IntakeResult(itemId, reportId, firstItemId);
        }

        public async ValueTask DisposeAsync()
        {
            await findItem.DisposeAsync().ConfigureAwait(false);
            await insertItem.DisposeAsync().ConfigureAwait(false);
            await countDuplicate.DisposeAsync().ConfigureAwait(false);
            await insertReport.DisposeAsync().ConfigureAwait(false);
        }

        private static void Bind(SqliteCommand command, string name, object? value) =>
            command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
