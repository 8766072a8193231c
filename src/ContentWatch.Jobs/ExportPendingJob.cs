using System.ComponentModel;
using Hangfire;
using ContentWatch.Core.Export;

namespace ContentWatch.Jobs;

/// <summary>Puts each platform's pending referrals into an export batch.</summary>
public sealed class ExportPendingJob(ExportService exports)
{
    [AutomaticRetry(Attempts = 5)]
    [DisplayName("Export pending referrals")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        (await exports.ExportAllPendingAsync(cancellationToken)).Sum(b => b.Count);
}
