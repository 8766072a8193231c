using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ContentWatch.Core;
using ContentWatch.Core.Export;
using ContentWatch.Core.Scans;

namespace ContentWatch.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire on in-memory storage (the database, not Hangfire, is the source of truth), the jobs, the recurring
    /// schedule and, when <see cref="WorkerOptions.Enabled"/>, a Hangfire server in this process.
    /// </summary>
    public static IServiceCollection AddContentWatchJobs(this IServiceCollection services, WorkerOptions workers)
    {
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage());
        services.AddSingleton<IWorkQueue, HangfireWorkQueue>();
        services.AddTransient<ClassifyPendingJob>();
        services.AddTransient<ExportPendingJob>();
        services.AddTransient<ScanJobs>();
        services.AddTransient<RecoverySweepJob>();
        if (workers.Enabled)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = workers.WorkerCount;
                o.Queues = ["classify", "default"];
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddHostedService<ScheduleRegistrar>();
        }

        return services;
    }
}

/// <summary>At start-up: registers the recurring jobs from configuration and runs the recovery sweep once.</summary>
internal sealed class ScheduleRegistrar(
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IOptions<WorkerOptions> workers,
    IOptions<ExportOptions> export,
    IOptions<ScanOptions> scans) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<RecoverySweepJob>("sweep", j => j.RunAsync(false, CancellationToken.None), workers.Value.SweepCron, options);
        recurring.AddOrUpdate<ExportPendingJob>("export", j => j.RunAsync(CancellationToken.None), export.Value.Cron, options);
        if (!string.IsNullOrWhiteSpace(scans.Value.Folder.Path))
        {
            recurring.AddOrUpdate<ScanJobs>("scan-folder", j => j.ScanFolderAsync(CancellationToken.None), scans.Value.Folder.Cron, options);
        }
        else
        {
            recurring.RemoveIfExists("scan-folder");
        }

        foreach (var feed in scans.Value.Feeds)
        {
            recurring.AddOrUpdate<ScanJobs>("scan-feed-" + feed.Name, j => j.ScanFeedAsync(feed.Name, CancellationToken.None), feed.Cron, options);
        }

        jobs.Enqueue<RecoverySweepJob>(j => j.RunAsync(true, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
