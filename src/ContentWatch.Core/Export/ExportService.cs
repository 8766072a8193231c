using Microsoft.Extensions.Options;
using ContentWatch.Core.Referral;

namespace ContentWatch.Core.Export;

/// <summary>Builds export batches of pending referrals, per platform.</summary>
public sealed class ExportService(IExportStore exports, IReferralStore referrals, IOptions<ExportOptions> options)
{
    public Task<ExportBatch?> CreateBatchAsync(string platform, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return exports.CreateBatchAsync(platform, new Notifier(o.NotifierName, o.NotifierEmail), o.GoodFaithStatement, cancellationToken);
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
}
