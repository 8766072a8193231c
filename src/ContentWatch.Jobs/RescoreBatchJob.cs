using System.ComponentModel;
using Hangfire;
using ContentWatch.Core.Models;

namespace ContentWatch.Jobs;

/// <summary>
/// Rescores one batch of a rescore run. The run, its batches and each item's outcome are in the database: a job lost
/// with its worker leaves its batch open, and the sweep enqueues it again once its lease has run out.
/// </summary>
public sealed class RescoreBatchJob(RescoreService rescore)
{
    [Queue("default")]
    [AutomaticRetry(Attempts = 3)]
    [DisplayName("Rescore {0}: batch {1} of {2}")]
    public Task<int> RunAsync(string runId, int batch, int batches, CancellationToken cancellationToken) =>
        rescore.RunBatchAsync(runId, batch, cancellationToken);
}
