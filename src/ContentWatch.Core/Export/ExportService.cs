using Microsoft.Extensions.Options;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Referral;

namespace ContentWatch.Core.Export;

/// <summary>Builds export batches of pending referrals, per platform, and reads them with their DSA fields.</summary>
public sealed class ExportService(
    IExportStore exports, IReferralStore referrals, IOptions<ExportOptions> options, DsaCategories dsa, DeliveryService delivery)
{
    /// <summary>A new batch of the platform's pending referrals, queued for push delivery when the platform has a webhook.</summary>
    public async Task<ExportBatch?> CreateBatchAsync(string platform, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var batch = await exports.CreateBatchAsync(platform, new Notifier(o.NotifierName, o.NotifierEmail), o.GoodFaithStatement, cancellationToken);
        if (batch is not null)
        {
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
}
