using ContentWatch.Core.Delivery;
using ContentWatch.Core.Export;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Scans;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace ContentWatch.Jobs.Tests;

/// <summary>
/// The recurring schedule a worker registers at start-up. One in-memory storage stands for the jobs all nodes share in
/// SQL Server; each registrar is a node starting with its own settings.
/// </summary>
public sealed class ScheduleRegistrarTests : IDisposable
{
    private readonly InMemoryStorage cluster = new();

    private static readonly JobsSetup SqlServerWorker = new("Server=not-used;Database=cw", RunsWorker: true);

    [Fact]
    public async Task AWorkerThatDoesNotOwnTheScanSchedule_LeavesTheClustersScanJobsAlone()
    {
        await StartAsync(SqlServerWorker, owns: true, folder: "/srv/drop", feeds: ["ngo"]);

        await StartAsync(SqlServerWorker, owns: false, folder: null, feeds: []); // a worker on a machine without the drop folder

        Assert.Equal(["export", "follow-up-sweep", "recheck", "scan-feed-ngo", "scan-folder", "sweep"], JobIds());
    }

    [Fact]
    public async Task TheOwner_RemovesTheScanJobsItsSettingsNoLongerName_AndNoOtherJob()
    {
        await StartAsync(SqlServerWorker, owns: true, folder: "/srv/drop", feeds: ["ngo", "hotline"]);
        new RecurringJobManager(cluster).AddOrUpdate("someone-elses", () => Console.WriteLine("kept"), Cron.Daily());

        await StartAsync(SqlServerWorker, owns: true, folder: null, feeds: ["hotline"]);

        Assert.Equal(["export", "follow-up-sweep", "recheck", "scan-feed-hotline", "someone-elses", "sweep"], JobIds());
    }

    [Fact]
    public async Task OnSqlite_EveryWorkerSetsItsOwnScanSchedule()
    {
        var sqliteWorker = new JobsSetup(SqlServerConnectionString: null, RunsWorker: true);
        await StartAsync(sqliteWorker, owns: false, folder: "/srv/drop", feeds: ["ngo"]);
        Assert.Equal(["export", "follow-up-sweep", "recheck", "scan-feed-ngo", "scan-folder", "sweep"], JobIds());

        await StartAsync(sqliteWorker, owns: false, folder: null, feeds: []);
        Assert.Equal(["export", "follow-up-sweep", "recheck", "sweep"], JobIds());
    }

    private Task StartAsync(JobsSetup setup, bool owns, string? folder, string[] feeds)
    {
        var scans = new ScanOptions
        {
            Folder = new FolderScanOptions { Path = folder },
            Feeds = feeds.Select(f => new FeedScanOptions { Name = f, Url = $"https://{f}.example/feed.json" }).ToList(),
        };
        var registrar = new ScheduleRegistrar(
            new RecurringJobManager(cluster),
            new BackgroundJobClient(cluster),
            cluster,
            setup,
            Options.Create(new WorkerOptions { OwnsScanSchedule = owns }),
            Options.Create(new ExportOptions()),
            Options.Create(scans),
            Options.Create(new DeliveryOptions()),
            Options.Create(new RecheckOptions()));
        return registrar.StartAsync(CancellationToken.None);
    }

    private List<string> JobIds()
    {
        using var connection = cluster.GetConnection();
        return connection.GetRecurringJobs().Select(j => j.Id).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => cluster.Dispose();
}
