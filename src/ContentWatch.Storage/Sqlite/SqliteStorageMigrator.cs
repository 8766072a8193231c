using System.Globalization;
using System.Reflection;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Schema/Sqlite/NNNN_name.sql</c> scripts in order, each in its own transaction together with
/// its row in <c>schema_version</c>, so a script is applied once and never half.
/// </summary>
public sealed class SqliteStorageMigrator(SqliteConnectionFactory db, TimeProvider time) : IStorageMigrator
{
    private const string ResourcePrefix = "ContentWatch.Storage.Schema.Sqlite.";

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        const string createVersionTable = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            );
            """;
        const string isApplied = "SELECT COUNT(*) FROM schema_version WHERE version = @version;";
        const string recordVersion = "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @appliedAt);";

        var applied = new List<string>();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(createVersionTable, cancellationToken: cancellationToken)).ConfigureAwait(false);

        foreach (var script in Scripts())
        {
            // BEGIN IMMEDIATE: a second process migrating at the same time waits here, then sees the version recorded.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var done = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition(isApplied, new { version = script.Version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (done > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                recordVersion,
                new { version = script.Version, name = script.Name, appliedAt = DbValues.Time(time.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(script.Name);
        }

        return applied;
    }

    public async Task<int> CountUnappliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = await connection.QueryAsync<int>(new CommandDefinition(SchemaVersions.Applied, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return SchemaVersions.CountUnapplied(ShippedVersions.Value, applied);
    }

    private static readonly Lazy<IReadOnlyList<int>> ShippedVersions = new(() => [.. Scripts().Select(s => s.Version)]);

    private sealed record Script(int Version, string Name, string Sql);

    private static IEnumerable<Script> Scripts()
    {
        var assembly = typeof(SqliteStorageMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[ResourcePrefix.Length..^".sql".Length];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return new Script(version, name, Read(assembly, n));
            })
            .OrderBy(s => s.Version);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Schema script {resource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
