using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Storage.Tests.Providers;

/// <summary>
/// A fresh SQL Server database per test (<c>cw_test_&lt;guid&gt;</c>), created on the server named by
/// <see cref="EnvironmentVariable"/> and dropped afterwards. Without that variable the tests are skipped.
/// </summary>
public sealed class SqlServerProvider : IStorageTestProvider
{
    public const string EnvironmentVariable = "CONTENTWATCH_TEST_SQLSERVER";

    private static readonly string? Server = Environment.GetEnvironmentVariable(EnvironmentVariable);

    // A GUID in hex: safe to put into CREATE/DROP DATABASE, which take no parameters.
    private readonly string database = $"cw_test_{Guid.NewGuid():N}";
    private ServiceProvider? services;
    private bool created;

    public string? SkipReason => string.IsNullOrWhiteSpace(Server)
        ? $"SQL Server tests need {EnvironmentVariable} set to a SQL Server connection string (scripts/sqlserver-tests.sh)."
        : null;

    /// <summary>The connection string for <paramref name="catalog"/>, with a short connect timeout: SqlClient waits it out when no server answers.</summary>
    public static string ConnectionString(string catalog) =>
        new SqlConnectionStringBuilder(Server) { InitialCatalog = catalog, ConnectTimeout = 5 }.ConnectionString;

    public async Task<IServiceProvider> CreateDatabaseAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await CreateEmptyDatabaseAsync(cancellationToken);
        services = NewServices(time);
        await services.GetRequiredService<IStorageMigrator>().MigrateAsync(cancellationToken);
        return services;
    }

    /// <summary>Creates the database without any table.</summary>
    public async Task CreateEmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var master = new SqlConnection(ConnectionString("master"));
        await master.OpenAsync(cancellationToken);
        await master.ExecuteAsync(new CommandDefinition($"CREATE DATABASE [{database}];", cancellationToken: cancellationToken));
        created = true;
    }

    /// <summary>The services of <c>AddContentWatchStorage</c> on this database; each call stands for another node.</summary>
    public ServiceProvider NewServices(TimeProvider time)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(time);
        collection.AddContentWatchStorage(new StorageOptions { Provider = StorageOptions.SqlServerProvider, ConnectionString = ConnectionString(database) });
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (!created)
        {
            return;
        }

        // Only this database's pool: other tests run in parallel on theirs.
        using (var pooled = new SqlConnection(ConnectionString(database)))
        {
            SqlConnection.ClearPool(pooled);
        }

        await using var master = new SqlConnection(ConnectionString("master"));
        await master.OpenAsync();
        await master.ExecuteAsync($"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}];");
    }
}
