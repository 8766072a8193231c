using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Scans;

/// <summary>
/// Imports JSONL and CSV files dropped into the configured folder. Each file is remembered by its content hash, chunk by
/// chunk in the same transaction as the chunk's reports, so a crash mid-file resumes where it stopped.
/// </summary>
public sealed class FolderScanService(
    IntakeService intake,
    IScanStateStore state,
    IOptions<ScanOptions> options,
    TimeProvider time,
    ILogger<FolderScanService> logger)
{
    public const string Source = "folder";
    private const int ChunkSize = 1_000;

    public async Task<ScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(folder.Path) || !Directory.Exists(folder.Path))
        {
            return new ScanResult(0, 0, 0, 0);
        }

        var settled = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(folder.SettleSeconds);
        var files = Directory.EnumerateFiles(folder.Path)
            .Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || ReportFileReader.IsCsv(f))
            .Where(f => File.GetLastWriteTimeUtc(f) <= settled)
            .Order(StringComparer.Ordinal);
        var total = new ScanResult(0, 0, 0, 0);
        foreach (var file in files)
        {
            var result = await ImportFileAsync(file, cancellationToken);
            total = new ScanResult(total.Stored + result.Stored, total.Duplicates + result.Duplicates, total.Rejected + result.Rejected, total.AlreadyTaken + result.AlreadyTaken);
        }

        return total;
    }

    private async Task<ScanResult> ImportFileAsync(string file, CancellationToken cancellationToken)
    {
        string hash;
        await using (var stream = File.OpenRead(file))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        if (await state.HasTakenAsync(Source, hash + ":done", cancellationToken))
        {
            return new ScanResult(0, 0, 0, 1);
        }

        int stored = 0, duplicates = 0, rejected = 0, alreadyTaken = 0, chunk = 0;
        var reports = new List<ReportInput>(ChunkSize);
        async Task FlushAsync(string key)
        {
            var mark = new ScanMark(Source, key);
            if (await state.HasTakenAsync(Source, key, cancellationToken))
            {
                alreadyTaken++;
            }
            else
            {
                var results = await intake.StoreAsync(reports, "scan:" + Source, mark, cancellationToken);
                stored += results.Count(r => r.DuplicateOf is null);
                duplicates += results.Count(r => r.DuplicateOf is not null);
            }

            reports.Clear();
        }

        await foreach (var record in ReportFileReader.ReadAsync(file, cancellationToken))
        {
            if (record.Report is null)
            {
                rejected++;
                logger.LogWarning("Scan {Source}: {File} line {Line} rejected: {Fields}", Source, Path.GetFileName(file), record.Line,
                    string.Join(", ", record.Errors.Select(e => e.Field)));
                continue;
            }

            reports.Add(record.Report);
            if (reports.Count == ChunkSize)
            {
                await FlushAsync($"{hash}:{chunk++}");
            }
        }

        await FlushAsync(hash + ":done");
        logger.LogInformation("Scan {Source}: {File} imported: {Stored} new, {Duplicates} duplicates, {Rejected} rejected",
            Source, Path.GetFileName(file), stored, duplicates, rejected);
        return new ScanResult(stored, duplicates, rejected, alreadyTaken);
    }
}
