using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Scans;

/// <summary>
/// Imports JSONL and CSV files dropped into the configured folder. Each file is remembered by its content hash, chunk by
/// chunk in the same transaction as the chunk's reports (<see cref="ReportImporter"/>), so a crash mid-file resumes where it stopped.
/// </summary>
public sealed class FolderScanService(
    ReportImporter importer,
    IScanStateStore state,
    IOptions<ScanOptions> options,
    TimeProvider time,
    ContentWatchMetrics metrics,
    ILogger<FolderScanService> logger)
{
    public const string Source = "folder";

    /// <summary>Imports the settled files not taken before; a failed scan is counted and thrown (its job is retried).</summary>
    public async Task<ImportResult> ScanAsync(CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Scan {ScanSource}", Source);
        try
        {
            return await ScanFolderAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.ScanFailed(Source);
            logger.LogWarning("Scan {Source} failed ({Error}); the job tries again", Source, e.GetType().Name);
            throw;
        }
    }

    private async Task<ImportResult> ScanFolderAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(folder.Path) || !Directory.Exists(folder.Path))
        {
            return ImportResult.None;
        }

        var settled = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(folder.SettleSeconds);
        var files = Directory.EnumerateFiles(folder.Path)
            .Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || ReportFileReader.IsCsv(f))
            .Where(f => File.GetLastWriteTimeUtc(f) <= settled)
            .Order(StringComparer.Ordinal);
        var total = ImportResult.None;
        foreach (var file in files)
        {
            total += await ImportFileAsync(file, cancellationToken);
        }

        return total;
    }

    private async Task<ImportResult> ImportFileAsync(string file, CancellationToken cancellationToken)
    {
        string hash;
        await using (var stream = File.OpenRead(file))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        if (await state.HasTakenAsync(Source, hash + ":done", cancellationToken))
        {
            return ImportResult.None with { AlreadyTaken = 1 };
        }

        var name = Path.GetFileName(file);
        using var scope = logger.BeginScope("File {ScanFile}", name);
        var result = await importer.ImportAsync(ReportFileReader.ReadAsync(file, cancellationToken), "scan:" + Source, (Source, hash), record =>
        {
            if (record.Report is null)
            {
                logger.LogWarning("Scan {Source}: {File} line {Line} rejected: {Fields}", Source, name, record.Line,
                    string.Join(", ", record.Errors.Select(e => e.Field)));
            }
        }, cancellationToken);
        logger.LogInformation("Scan {Source}: {File} imported: {Stored} new, {Duplicates} duplicates, {Rejected} rejected",
            Source, name, result.Stored, result.Duplicates, result.Rejected);
        return result;
    }
}
