using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Export;

/// <summary>Builds export batches of pending referrals, per platform, and reads them with their DSA fields.</summary>
public sealed class ExportService(
    IExportStore exports,
    IReferralStore referrals,
    IOptions<ExportOptions> options,
    DsaCategories dsa,
    DeliveryService delivery,
    ContentWatchMetrics metrics,
    ILogger<ExportService> logger)
{
    /// <summary>
    /// A new batch of the platform's pending referrals, queued for push delivery when the platform has a webhook, or null
    /// when none is pending; a failure is counted and thrown.
    /// </summary>
    public async Task<ExportBatch?> CreateBatchAsync(string platform, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Export for {Platform}", platform);
        var o = options.Value;
        ExportBatch? batch;
        try
        {
            batch = await exports.CreateBatchAsync(platform, new Notifier(o.NotifierName, o.NotifierEmail), o.GoodFaithStatement, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.ExportFailed(platform);
            logger.LogWarning("Export for {Platform} failed ({Error})", platform, e.GetType().Name);
            throw;
        }

        if (batch is not null)
        {
            logger.LogInformation("Export {ExportId} for {Platform}: {Count} referrals", batch.Id, platform, batch.Count);
            await LogReferralsAsync(batch, cancellationToken);
            await delivery.QueueNewBatchesAsync(cancellationToken);
        }

        return batch;
    }

    /// <summary>One batch for every platform with pending referrals.</summary>
    public async Task<IReadOnlyList<ExportBatch>> ExportAllPendingAsync(CancellationToken cancellationToken)
    {
        var batches = new List<ExportBatch>();
        foreach (var platform in await referrals.PlatformsWithPendingAsync(cancellationToken))
        {
            if (await CreateBatchAsync(platform, cancellationToken) is { } batch)
            {
                batches.Add(batch);
            }
        }

        return batches;
    }

    /// <summary>The batch with its notices, each carrying its Transparency Database category and keywords.</summary>
    public async Task<ExportDocument?> GetDocumentAsync(string platform, string exportId, CancellationToken cancellationToken) =>
        await exports.GetDocumentAsync(platform, exportId, cancellationToken) is { } document ? dsa.Apply(document) : null;

    /// <summary>Each referral of the batch at Debug, in the scope of its referral (read again only when Debug is on).</summary>
    private async Task LogReferralsAsync(ExportBatch batch, CancellationToken cancellationToken)
    {
        if (!logger.IsEnabled(LogLevel.Debug) || await exports.GetDocumentAsync(batch.Platform, batch.Id, cancellationToken) is not { } document)
        {
            return;
        }

        foreach (var notice in document.Notices)
        {
            using var scope = logger.BeginScope("Referral {ReferralId}", notice.ReferralId);
            logger.LogDebug("Referral {ReferralId} of item {ItemId} exported in {ExportId}", notice.ReferralId, notice.ItemId, batch.Id);
        }
    }
}
