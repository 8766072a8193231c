using ContentWatch.Storage.SqlServer;
using ContentWatch.Storage.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.SqlServer;

/// <summary>SQL Server only: migration from several nodes at once (needs <see cref="SqlServerProvider.EnvironmentVariable"/>).</summary>
public sealed class SqlServerConcurrentMigrationTests : IAsyncLifetime
{
    private readonly SqlServerProvider provider = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await provider.DisposeAsync();

    [SkippableFact]
    public async Task Migrate_FromFourNodesAtOnce_AppliesEveryScriptOnce()
    {
        Skip.If(provider.SkipReason is not null, provider.SkipReason);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await provider.CreateEmptyDatabaseAsync(timeout.Token);
        var nodes = Enumerable.Range(0, 4).Select(_ => provider.NewServices(TimeProvider.System)).ToList();

        try
        {
            var applied = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.GetRequiredService<IStorageMigrator>().MigrateAsync(timeout.Token))));

            var expected = SqlServerStorageMigrator.Scripts().Select(s => s.Name).ToList();
            Assert.Equal(expected, applied.SelectMany(a => a).Order(StringComparer.Ordinal));
            Assert.Equal(expected.Count, await provider.ScalarAsync<int>("SELECT COUNT(*) FROM schema_version", timeout.Token));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
