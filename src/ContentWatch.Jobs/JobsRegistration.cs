using Hangfire;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Export;
using ContentWatch.Core.Scans;

namespace ContentWatch.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire on the storage <paramref name="setup"/> names (the database, not Hangfire, is the source of truth), the
    /// jobs and, for a worker, a Hangfire server, the recurring schedule and the poll for pending items. Nothing connects
    /// here: <see cref="PrepareJobStorageAsync"/> installs the SQL Server schema at start-up.
    /// </summary>
    public static IServiceCollection AddContentWatchJobs(this IServiceCollection services, JobsSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        services.AddSingleton(setup);
        services.AddHangfire((sp, c) =>
        {
            c.UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (setup.SqlServerConnectionString is { } connectionString)
            {
                c.UseSqlServerStorage(connectionString, SqlServerOptions());
            }
            else
            {
                c.UseInMemoryStorage();
            }
        });

        // a web node on in-memory storage has no worker to enqueue for: the workers' poll finds its items
        if (setup.SharedStorage || setup.RunsWorker)
        {
            services.AddSingleton<IWorkQueue, HangfireWorkQueue>();
            services.AddSingleton<IDeliveryQueue, HangfireDeliveryQueue>();
        }
        else
        {
            services.AddSingleton<IWorkQueue, DeferredWorkQueue>();
            services.AddSingleton<IDeliveryQueue, DeferredDeliveryQueue>();
        }

        services.AddTransient<ClassifyPendingJob>();
        services.AddTransient<ExportPendingJob>();
        services.AddTransient<ScanJobs>();
        services.AddTransient<RecoverySweepJob>();
        services.AddTransient<DeliverJob>();
        services.AddTransient<FollowUpSweepJob>();
        services.AddTransient<RecheckJob>();
        if (setup.RunsWorker)
        {
            services.AddHangfireServer((sp, o) =>
            {
                o.WorkerCount = sp.GetRequiredService<IOptions<WorkerOptions>>().Value.WorkerCount;
                o.Queues = ["classify", "delivery", "default"];
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            });
            services.AddHostedService<ScheduleRegistrar>();
            services.AddSingleton<PendingWorkPoller>();
            services.AddHostedService(sp => sp.GetRequiredService<PendingWorkPoller>());
        }

        return services;
    }

    /// <summary>Installs or upgrades Hangfire's own tables (schema <see cref="JobsSetup.HangfireSchema"/>) when the jobs live in SQL Server.</summary>
    public static async Task PrepareJobStorageAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<JobsSetup>().SqlServerConnectionString is not { } connectionString)
        {
            return;
        }

        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        SqlServerObjectsInstaller.Install(connection, JobsSetup.HangfireSchema);
    }

    /// <summary>Hangfire's recommended settings for a new SQL Server schema, set here rather than detected, so start-up does not connect.</summary>
    private static SqlServerStorageOptions SqlServerOptions() => new()
    {
        SchemaName = JobsSetup.HangfireSchema,
        PrepareSchemaIfNecessary = false,
        TryAutoDetectSchemaDependentOptions = false,
        SqlClientFactory = SqlClientFactory.Instance,
        CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
        SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
        QueuePollInterval = TimeSpan.Zero,
        UseRecommendedIsolationLevel = true,
        DisableGlobalLocks = true,
        UseIgnoreDupKeyOption = true,
    };
}

/// <summary>
/// At start-up: registers the recurring jobs from configuration and runs the recovery sweep once. On SQL Server every
/// worker registers the same ids, so each recurring job is scheduled once for all nodes; in memory each worker node runs
/// its own schedule, which the database makes safe (claims, export batches taken under a write lock, scan marks).
/// </summary>
internal sealed class ScheduleRegistrar(
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IOptions<WorkerOptions> workers,
    IOptions<ExportOptions> export,
    IOptions<ScanOptions> scans,
    IOptions<DeliveryOptions> delivery,
    IOptions<RecheckOptions> rechecks) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<RecoverySweepJob>("sweep", j => j.RunAsync(false, CancellationToken.None), workers.Value.SweepCron, options);
        recurring.AddOrUpdate<ExportPendingJob>("export", j => j.RunAsync(CancellationToken.None), export.Value.Cron, options);
        recurring.AddOrUpdate<FollowUpSweepJob>("follow-up-sweep", j => j.RunAsync(CancellationToken.None), delivery.Value.SweepCron, options);
        recurring.AddOrUpdate<RecheckJob>("recheck", j => j.RunAsync(CancellationToken.None), rechecks.Value.Cron, options);
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
        jobs.Enqueue<FollowUpSweepJob>(j => j.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>For nodes and tools that store reports without a job queue a worker reads: a worker's poll of the database classifies them.</summary>
public sealed class DeferredWorkQueue : IWorkQueue
{
    public void ClassificationNeeded()
    {
    }
}
