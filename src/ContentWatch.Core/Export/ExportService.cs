using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Export;

/// <summary>Builds export batches of pending referrals, per platform.</summary>
public sealed class ExportService(
    IExportStore exports,
    IReferralStore referrals,
    IOptions<ExportOptions> options,
    ContentWatchMetrics metrics,
    ILogger<ExportService> logger)
{
    /// <summary>A batch of the platform's pending referrals, or null when none is pending; a failure is counted and thrown.</summary>
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
