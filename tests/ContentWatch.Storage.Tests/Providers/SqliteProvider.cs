using System.Data.Common;
using Microsoft.Data.Sqlite;
using ContentWatch.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Providers;

/// <summary>A SQLite database in a temporary file (not <c>:memory:</c>), so WAL and several connections are real.</summary>
public sealed class SqliteProvider : IStorageTestProvider
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "cw-storage-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider? services;

    public string? SkipReason => null;

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, StorageOptions.DatabaseFileName) }.ToString();

    public async Task<IServiceProvider> CreateDatabaseAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(time);
        collection.AddContentWatchStorage(new StorageOptions { Provider = StorageOptions.SqliteProvider, ConnectionString = ConnectionString });
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await services.GetRequiredService<IStorageMigrator>().MigrateAsync(cancellationToken);
        return services;
    }

    /// <summary>A connection set up as the stores' own (foreign keys on, WAL).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await (services ?? throw new InvalidOperationException("Create the database first."))
            .GetRequiredService<SqliteConnectionFactory>().OpenAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
