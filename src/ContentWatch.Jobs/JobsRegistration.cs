using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Hangfire.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Export;
using ContentWatch.Core.Rechecks;
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

        // This host's own storage and job activator, registered before AddHangfire (which only adds what is missing):
        // its defaults are JobStorage.Current and JobActivator.Current, process-wide statics that the last host to
        // configure Hangfire sets. Two hosts in one process (the test suites start several side by side) could then
        // enqueue into each other's storage or run one host's jobs with the other's services, and a host's items stayed
        // pending while its jobs "succeeded" elsewhere.
        services.AddSingleton<JobStorage>(_ => setup.SqlServerConnectionString is { } connectionString
            ? new SqlServerStorage(connectionString, SqlServerOptions())
            : new InMemoryStorage());
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c.UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));

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
        services.AddTransient<RescoreBatchJob>();
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
                o.FilterProvider = JobActivityFilter.With(sp.GetRequiredService<IJobFilterProvider>());
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
        await using var install = new SqlCommand(HangfireInstallScript(), connection) { CommandTimeout = 0 };
        await install.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hangfire's install script with its heavy migrations on. They must run: <see cref="SqlServerOptions"/> sets
    /// UseIgnoreDupKeyOption, which needs schema 8 or later, and without them the script leaves an existing HangFire
    /// schema older than 8 where it is, and writes to Hash and Set then fail on duplicate keys (2627). The script takes
    /// Hangfire's own schema lock, so nodes starting together apply it once.
    /// </summary>
    internal static string HangfireInstallScript() =>
        SqlServerObjectsInstaller.GetInstallScript(JobsSetup.HangfireSchema, enableHeavyMigrations: true);

    /// <summary>
    /// Hangfire's recommended settings for schema 8 and later (which start-up installs), set here rather than detected,
    /// so that registering Hangfire does not connect.
    /// </summary>
    internal static SqlServerStorageOptions SqlServerOptions() => new()
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
/// worker registers the same ids, so each recurring job is scheduled once for all nodes, and only a worker that owns the
/// scan schedule (<see cref="WorkerOptions.OwnsScanSchedule"/>) touches the scan jobs; in memory each worker node runs
/// its own schedule, which the database makes safe (claims, export batches taken under a write lock, scan marks).
/// </summary>
internal sealed class ScheduleRegistrar(
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    JobStorage storage,
    JobsSetup setup,
    IOptions<WorkerOptions> workers,
    IOptions<ExportOptions> export,
    IOptions<ScanOptions> scans,
    IOptions<DeliveryOptions> delivery,
    IOptions<RecheckOptions> rechecks) : IHostedService
{
    public const string FolderScan = "scan-folder";
    public const string FeedScanPrefix = "scan-feed-";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<RecoverySweepJob>("sweep", j => j.RunAsync(false, CancellationToken.None), workers.Value.SweepCron, options);
        recurring.AddOrUpdate<ExportPendingJob>("export", j => j.RunAsync(CancellationToken.None), export.Value.Cron, options);
        recurring.AddOrUpdate<FollowUpSweepJob>("follow-up-sweep", j => j.RunAsync(CancellationToken.None), delivery.Value.SweepCron, options);
        recurring.AddOrUpdate<RecheckJob>("recheck", j => j.RunAsync(CancellationToken.None), rechecks.Value.Cron, options);
        if (!setup.SharedStorage || workers.Value.OwnsScanSchedule)
        {
            SetScanSchedule(options);
        }

        jobs.Enqueue<RecoverySweepJob>(j => j.RunAsync(true, CancellationToken.None));
        jobs.Enqueue<FollowUpSweepJob>(j => j.RunAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The scan jobs become exactly the sources the Scans settings name: those added or updated, the others removed.</summary>
    private void SetScanSchedule(RecurringJobOptions options)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(scans.Value.Folder.Path))
        {
            recurring.AddOrUpdate<ScanJobs>(FolderScan, j => j.ScanFolderAsync(CancellationToken.None), scans.Value.Folder.Cron, options);
            named.Add(FolderScan);
        }

        foreach (var feed in scans.Value.Feeds)
        {
            recurring.AddOrUpdate<ScanJobs>(FeedScanPrefix + feed.Name, j => j.ScanFeedAsync(feed.Name, CancellationToken.None), feed.Cron, options);
            named.Add(FeedScanPrefix + feed.Name);
        }

        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs())
        {
            if ((job.Id == FolderScan || job.Id.StartsWith(FeedScanPrefix, StringComparison.Ordinal)) && !named.Contains(job.Id))
            {
                recurring.RemoveIfExists(job.Id);
            }
        }
    }
}

/// <summary>For nodes and tools that store reports without a job queue a worker reads: a worker's poll of the database classifies them.</summary>
public sealed class DeferredWorkQueue : IWorkQueue
{
    public void ClassificationNeeded()
    {
    }
}
