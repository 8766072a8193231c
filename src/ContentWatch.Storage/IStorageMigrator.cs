namespace ContentWatch.Storage;

/// <summary>Brings the database schema up to date. Safe to run at every start and from several processes.</summary>
public interface IStorageMigrator
{
    /// <summary>Applies the schema scripts not yet recorded in <c>schema_version</c>; returns the names of those applied now.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);
}
