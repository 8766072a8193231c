using ContentWatch.Core.Scans;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Intake;

/// <summary>What an import or scan took: new items, duplicates of known items, rejected records, chunks or entries taken before.</summary>
public sealed record ImportResult(int Stored, int Duplicates, int Rejected, int AlreadyTaken)
{
    public static readonly ImportResult None = new(0, 0, 0, 0);

    public static ImportResult operator +(ImportResult a, ImportResult b) =>
        new(a.Stored + b.Stored, a.Duplicates + b.Duplicates, a.Rejected + b.Rejected, a.AlreadyTaken + b.AlreadyTaken);
}

/// <summary>Stores the reports of an import file in transactions of <see cref="ChunkSize"/>; used by <c>contentwatch ingest</c> and the folder scan.</summary>
public sealed class ReportImporter(IntakeService intake, IScanStateStore state, ContentWatchMetrics metrics)
{
    public const int ChunkSize = 1_000;

    /// <summary>
    /// Imports <paramref name="records"/>. With a <paramref name="taken"/> source and key prefix, each chunk is recorded as
    /// taken (<c>PREFIX:N</c>, the last <c>PREFIX:done</c>) in the same transaction as its reports, and a chunk taken
    /// before is skipped, so an import cut short resumes where it stopped. <paramref name="onRecord"/> sees every record.
    /// </summary>
    public async Task<ImportResult> ImportAsync(
        IAsyncEnumerable<FileRecord> records,
        string source,
        (string Source, string KeyPrefix)? taken,
        Action<FileRecord>? onRecord,
        CancellationToken cancellationToken)
    {
        int stored = 0, duplicates = 0, rejected = 0, alreadyTaken = 0, chunk = 0;
        var reports = new List<ReportInput>(ChunkSize);
        async Task FlushAsync(string suffix)
        {
            var mark = taken is { } t ? new ScanMark(t.Source, $"{t.KeyPrefix}:{suffix}") : null;
            if (mark is not null && await state.HasTakenAsync(mark.Source, mark.Key, cancellationToken))
            {
                alreadyTaken++;
            }
            else
            {
                var results = await intake.StoreAsync(reports, source, mark, cancellationToken);
                stored += results.Count(r => r.DuplicateOf is null);
                duplicates += results.Count(r => r.DuplicateOf is not null);
            }

            reports.Clear();
        }

        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            onRecord?.Invoke(record);
            if (record.Report is null)
            {
                rejected++;
                metrics.ReportsRejected(1, source);
                continue;
            }

            reports.Add(record.Report);
            if (reports.Count == ChunkSize)
            {
                await FlushAsync((chunk++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        await FlushAsync("done");
        return new ImportResult(stored, duplicates, rejected, alreadyTaken);
    }
}
