using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Scans;

/// <summary>Pulls a configured HTTP JSON feed (an array of report objects) and takes each entry once.</summary>
public sealed class FeedScanService(
    IntakeService intake,
    IScanStateStore state,
    IHttpClientFactory httpClients,
    IOptions<ScanOptions> options,
    ContentWatchMetrics metrics,
    ILogger<FeedScanService> logger)
{
    public const string HttpClientName = "scans";
    public const int MaxFeedBytes = 10 * 1024 * 1024;

    /// <summary>Takes the feed's new entries; a failed scan is counted and thrown (its job is retried).</summary>
    public async Task<ImportResult> ScanAsync(string feedName, CancellationToken cancellationToken)
    {
        var feed = options.Value.Feeds.SingleOrDefault(f => f.Name == feedName)
            ?? throw new InvalidOperationException($"No feed named '{feedName}' is configured.");
        var source = "feed:" + feed.Name;
        using var scope = logger.BeginScope("Scan {ScanSource}", source);
        try
        {
            return await TakeAsync(feed, source, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.ScanFailed(source);
            logger.LogWarning("Scan {Source} failed ({Error}); the job tries again", source, e.GetType().Name);
            throw;
        }
    }

    private async Task<ImportResult> TakeAsync(FeedScanOptions feed, string source, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
        foreach (var (name, value) in feed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var client = httpClients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await ReadBoundedAsync(response.Content, cancellationToken);
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Feed '{feed.Name}' did not answer a JSON array.");
        }

        int stored = 0, duplicates = 0, rejected = 0, alreadyTaken = 0, index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var (report, errors) = ReportParser.Parse(element, $"[{index}].");
            index++;
            if (report is null)
            {
                rejected++;
                metrics.ReportsRejected(1, source);
                logger.LogWarning("Scan {Source}: entry {Index} rejected: {Fields}", source, index - 1, string.Join(", ", errors.Select(e => e.Field)));
                continue;
            }

            var key = EntryKey(report);
            if (await state.HasTakenAsync(source, key, cancellationToken))
            {
                alreadyTaken++;
                continue;
            }

            var results = await intake.StoreAsync([report], source, new ScanMark(source, key), cancellationToken);
            stored += results.Count(r => r.DuplicateOf is null);
            duplicates += results.Count(r => r.DuplicateOf is not null);
        }

        logger.LogInformation("Scan {Source}: {Stored} new, {Duplicates} duplicates, {Rejected} rejected, {Taken} taken before",
            source, stored, duplicates, rejected, alreadyTaken);
        return new ImportResult(stored, duplicates, rejected, alreadyTaken);
    }

    /// <summary>An entry is the same entry when its platform, URL and text are the same.</summary>
    private static string EntryKey(ReportInput report) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{report.Platform}\n{report.Url}\n{report.Text}")));

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxFeedBytes)
        {
            throw new InvalidDataException($"The feed answered more than {MaxFeedBytes} bytes.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFeedBytes)
            {
                throw new InvalidDataException($"The feed answered more than {MaxFeedBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
