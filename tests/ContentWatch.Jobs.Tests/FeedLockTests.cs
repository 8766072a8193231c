using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.Server;
using Hangfire.Storage;

namespace ContentWatch.Jobs.Tests;

/// <summary>The lock <see cref="ScanJobs.ScanFeedAsync"/> takes (DisableConcurrentExecution), taken as a Hangfire server takes it.</summary>
public sealed class FeedLockTests : IDisposable
{
    private readonly InMemoryStorage storage = new();
    private readonly List<IStorageConnection> connections = [];

    private static readonly DisableConcurrentExecutionAttribute Filter =
        typeof(ScanJobs).GetMethod(nameof(ScanJobs.ScanFeedAsync))!.GetCustomAttribute<DisableConcurrentExecutionAttribute>()!;

    [Fact]
    public async Task AFeedScan_WaitsOnlyForAScanOfTheSameFeed()
    {
        var ngo = Performing("ngo");
        Filter.OnPerforming(ngo); // a scan of feed "ngo" is running

        // another feed's scan starts at once (before the fix every feed shared one lock and this waited 600 s)
        var hotline = Performing("hotline");
        await Task.Run(() => Filter.OnPerforming(hotline)).WaitAsync(TimeSpan.FromSeconds(10));

        // a second scan of "ngo" waits for the first to finish
        var ngoAgain = Task.Run(() => Filter.OnPerforming(Performing("ngo")));
        await Task.Delay(300);
        Assert.False(ngoAgain.IsCompleted, "a second scan of the same feed did not wait for the lock");
        ((IDisposable)ngo.Items["DistributedLock"]).Dispose();
        await ngoAgain.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private PerformingContext Performing(string feed)
    {
        var connection = storage.GetConnection();
        connections.Add(connection);
        var job = new BackgroundJob(feed, Job.FromExpression<ScanJobs>(j => j.ScanFeedAsync(feed, CancellationToken.None)), DateTime.UtcNow);
        return new PerformingContext(new PerformContext(storage, connection, job, new JobCancellationToken(false)));
    }

    public void Dispose()
    {
        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        storage.Dispose();
    }
}
