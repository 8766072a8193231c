using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;
using ContentWatch.Core;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Referral;

namespace ContentWatch.Jobs;

/// <summary>
/// Makes good what lost jobs left behind: the database says what is pending, this job re-enqueues the work, and puts
/// the indicators of confirmed items on the watchlist where a confirmation's own step did not.
/// Runs at start-up (items and referrals) and on a schedule (items).
/// </summary>
public sealed class RecoverySweepJob(
    IClassificationStore items,
    IReferralStore referrals,
    IWatchlistStore watchlist,
    IWorkQueue workQueue,
    IBackgroundJobClient jobs,
    ILogger<RecoverySweepJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("Sweep pending work")]
    public async Task RunAsync(bool includeReferrals, CancellationToken cancellationToken)
    {
        var pending = await items.CountPendingAsync(cancellationToken);
        if (pending > 0)
        {
            logger.LogInformation("Sweep: {Pending} items pending classification; enqueuing", pending);
            workQueue.ClassificationNeeded();
        }

        // a confirmation whose watchlist step was cut short, or an item confirmed before it was analysed
        var watched = await watchlist.AddConfirmedAsync(null, cancellationToken);
        if (watched > 0)
        {
            logger.LogInformation("Sweep: {Count} indicators of confirmed items put on the watchlist", watched);
        }

        if (includeReferrals && (await referrals.PlatformsWithPendingAsync(cancellationToken)).Count > 0)
        {
            logger.LogInformation("Sweep: referrals pending export; enqueuing an export");
            jobs.Enqueue<ExportPendingJob>(j => j.RunAsync(CancellationToken.None));
        }
    }
}

/// <summary>Asks for classification through Hangfire.</summary>
public sealed class HangfireWorkQueue(IBackgroundJobClient jobs) : IWorkQueue
{
    public void ClassificationNeeded() => jobs.Enqueue<ClassifyPendingJob>(j => j.RunAsync(CancellationToken.None));
}
