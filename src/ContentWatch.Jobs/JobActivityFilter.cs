using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Jobs;

/// <summary>
/// A span around every job this node's Hangfire server performs (<c>ClassifyPendingJob.RunAsync</c>, …) on the
/// <see cref="ContentWatchTracing.Source"/>, marked as an error when the job throws. Nothing is recorded while no
/// tracer listens. Set on the server's own filter provider (<see cref="JobsRegistration"/>), not Hangfire's global filters,
/// so each host in a process has its one filter.
/// </summary>
public sealed class JobActivityFilter : IServerFilter
{
    private const string ActivityKey = "contentwatch.activity";

    public static IJobFilterProvider With(IJobFilterProvider providers) =>
        new JobFilterProviderCollection(providers, new JobFilterCollection { new JobActivityFilter() });

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.BackgroundJob.Job;
        var activity = ContentWatchTracing.Source.StartActivity($"{job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("job.id", context.BackgroundJob.Id);
        activity.SetTag("job.queue", context.BackgroundJob.Job.Queue);
        context.Items[ActivityKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Items.TryGetValue(ActivityKey, out var value) || value is not Activity activity)
        {
            return;
        }

        if (context.Exception is { } e && !context.ExceptionHandled)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        }

        activity.Dispose();
    }
}
