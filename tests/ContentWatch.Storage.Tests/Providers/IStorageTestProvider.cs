using System.Data.Common;
using Dapper;

namespace ContentWatch.Storage.Tests.Providers;

/// <summary>
/// Gives each test a fresh, migrated database of one provider. A provider that cannot run here (no server, no
/// connection string) says why in <see cref="SkipReason"/>, and its tests are skipped rather than failed.
/// </summary>
public interface IStorageTestProvider : IAsyncDisposable
{
    string? SkipReason { get; }

    /// <summary>Creates the database, runs the migrator and returns the services of <c>AddContentWatchStorage</c>.</summary>
    Task<IServiceProvider> CreateDatabaseAsync(TimeProvider time, CancellationToken cancellationToken);

    /// <summary>An open connection to the test database, set up as the stores' own.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>Direct access to a test database, outside the stores.</summary>
public static class StorageTestProviderExtensions
{
    /// <summary>Runs a statement directly, outside the stores (to check what the schema allows).</summary>
    public static async Task<int> ExecuteAsync(this IStorageTestProvider provider, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    /// <summary>Reads one value directly, outside the stores.</summary>
    public static async Task<T> ScalarAsync<T>(this IStorageTestProvider provider, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await provider.OpenAsync(cancellationToken);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, cancellationToken: cancellationToken)))!;
    }
}
