using System.ComponentModel;
using Hangfire;
using ContentWatch.Core.Scans;

namespace ContentWatch.Jobs;

/// <summary>Scheduled scans of the configured sources. Each source remembers what it has taken, so a rerun is harmless.</summary>
public sealed class ScanJobs(FolderScanService folder, FeedScanService feeds)
{
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [DisplayName("Scan the drop folder")]
    public async Task<int> ScanFolderAsync(CancellationToken cancellationToken) =>
        (await folder.ScanAsync(cancellationToken)).Stored;

    // One lock per feed ({0} is the feed's name): a slow feed does not hold up the others.
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution("scan-feed:{0}", 600)]
    [DisplayName("Scan feed {0}")]
    public async Task<int> ScanFeedAsync(string feedName, CancellationToken cancellationToken) =>
        (await feeds.ScanAsync(feedName, cancellationToken)).Stored;
}
