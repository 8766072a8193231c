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

    /// <summary>Runs a statement directly, outside the stores (to check what the schema allows).</summary>
    Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Reads one value directly, outside the stores.</summary>
    Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken);
}
