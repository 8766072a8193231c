using System.ComponentModel;
using Hangfire;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;

namespace ContentWatch.Jobs;

/// <summary>One attempt at one delivery. Retries are the delivery's own (scheduled again by <see cref="DeliveryService"/>), never Hangfire's.</summary>
public sealed class DeliverJob(DeliveryService delivery)
{
    [Queue("delivery")]
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("Deliver {0}")]
    public Task<string?> RunAsync(string deliveryId, CancellationToken cancellationToken) => delivery.DeliverAsync(deliveryId, cancellationToken);
}

/// <summary>
/// What the database says is owed and a lost job may have dropped: deliveries of new batches, due retries, reminders of
/// overdue referrals, and evidence seals a crash left undone. Runs at start-up and every <see cref="DeliveryOptions.SweepCron"/>.
/// </summary>
public sealed class FollowUpSweepJob(DeliveryService delivery, OverdueService overdue, EvidenceService evidence)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [DisplayName("Sweep deliveries, reminders and evidence seals")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await delivery.SweepAsync(cancellationToken);
        await overdue.RemindAsync(cancellationToken);
        await evidence.SealMissingAsync(cancellationToken);
    }
}

/// <summary>The recurring takedown re-check pass; one at a time, so a host never gets two passes' requests at once.</summary>
public sealed class RecheckJob(RecheckService rechecks)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [DisplayName("Re-check open referrals")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => (await rechecks.RunPassAsync(cancellationToken)).Checked;
}

/// <summary>Asks for delivery attempts through Hangfire: now, or scheduled after a failed attempt's backoff.</summary>
public sealed class HangfireDeliveryQueue(IBackgroundJobClient jobs) : IDeliveryQueue
{
    public void Deliver(string deliveryId, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            jobs.Enqueue<DeliverJob>(j => j.RunAsync(deliveryId, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<DeliverJob>(j => j.RunAsync(deliveryId, CancellationToken.None), delay);
        }
    }
}

/// <summary>For nodes and tools without a job queue a worker reads: a worker's sweep of the database sends the deliveries.</summary>
public sealed class DeferredDeliveryQueue : IDeliveryQueue
{
    public void Deliver(string deliveryId, TimeSpan delay)
    {
    }
}
