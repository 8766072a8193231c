using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Classification;

namespace ContentWatch.Jobs;

/// <summary>
/// Looks at the database every <see cref="WorkerOptions.PollSeconds"/> and, when items are pending and the drain this
/// node asked for is no longer queued or running, enqueues another <see cref="ClassifyPendingJob"/>. So a worker takes
/// up items that another node accepted without a job queue shared with it; the claims keep the drains apart.
/// </summary>
public sealed class PendingWorkPoller(
    IClassificationStore items,
    IBackgroundJobClient jobs,
    JobStorage storage,
    IOptions<WorkerOptions> workers,
    TimeProvider time,
    ILogger<PendingWorkPoller> logger) : BackgroundService
{
    private static readonly string[] InFlightStates = [EnqueuedState.StateName, ProcessingState.StateName, ScheduledState.StateName, AwaitingState.StateName];

    private string? _drainJobId;

    /// <summary>One look: enqueues a drain when items are pending and none of this node's is in flight.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        if (!DrainInFlight() && await items.CountPendingAsync(cancellationToken) > 0)
        {
            _drainJobId = jobs.Enqueue<ClassifyPendingJob>(j => j.RunAsync(CancellationToken.None));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(workers.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Poll for pending items failed; next look in {Seconds} s", workers.Value.PollSeconds);
            }
        }
    }

    private bool DrainInFlight()
    {
        if (_drainJobId is null)
        {
            return false;
        }

        using var connection = storage.GetConnection();
        return InFlightStates.Contains(connection.GetJobData(_drainJobId)?.State, StringComparer.Ordinal);
    }
}
