using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContentWatch.Jobs.Tests;

/// <summary>Two hosts in one process (as the test suites run them) keep their own Hangfire storage and job activator.</summary>
public sealed class JobsRegistrationTests
{
    [Fact]
    public async Task TwoHostsConfiguredInTurn_EachKeepItsOwnStorage_AndActivatesJobsWithItsOwnServices()
    {
        await using var first = Host("first");
        await using var second = Host("second");

        // Hangfire's configuration callback runs when IGlobalConfiguration is first resolved; the second host's comes
        // after the first host's and before either resolves its storage, as when two hosts start side by side.
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        first.GetRequiredService<IBackgroundJobClient>().Enqueue<HostName>(h => h.ToString());
        Assert.Equal(1, first.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics().Enqueued);
        Assert.Equal(0, second.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics().Enqueued);
        Assert.Equal("first", Activated(first).Name);
        Assert.Equal("second", Activated(second).Name);
    }

    /// <summary>A job's instance as the host's Hangfire server would create it: in a scope of the host's activator.</summary>
    private static HostName Activated(ServiceProvider host)
    {
        using var scope = host.GetRequiredService<JobActivator>().BeginScope((JobActivatorContext)null!);
        return (HostName)scope.Resolve(typeof(HostName));
    }

    private static ServiceProvider Host(string name) => new ServiceCollection()
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .AddSingleton(new HostName(name))
        .AddContentWatchJobs(new JobsSetup(SqlServerConnectionString: null, RunsWorker: false))
        .BuildServiceProvider();

    private sealed record HostName(string Name);
}
