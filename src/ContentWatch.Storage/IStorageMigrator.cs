namespace ContentWatch.Storage;

/// <summary>Brings the database schema up to date. Safe to run at every start and from several processes.</summary>
public interface IStorageMigrator
{
    /// <summary>Applies the schema scripts not yet recorded in <c>schema_version</c>; returns the names of those applied now.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The schema scripts this build ships that the database has not recorded: 0 when it is up to date. A cheap read of
    /// <c>schema_version</c>, for the readiness check; throws when the database cannot be reached.
    /// </summary>
    Task<int> CountUnappliedAsync(CancellationToken cancellationToken);
}

/// <summary>What both migrators read to tell whether the schema is up to date.</summary>
internal static class SchemaVersions
{
    public const string Applied = "SELECT version FROM schema_version;";

    public static int CountUnapplied(IReadOnlyList<int> shipped, IEnumerable<int> applied) => shipped.Except(applied).Count();
}
