using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Applies the embedded <c>Schema/SqlServer/NNNN_name.sql</c> scripts in order. Each script runs in its own
/// transaction together with its row in <c>schema_version</c>, under an exclusive application lock, so two nodes
/// starting at once apply it once: the second waits for the lock, then finds the version recorded.
/// </summary>
public sealed partial class SqlServerStorageMigrator(SqlServerConnectionFactory db, TimeProvider time) : IStorageMigrator
{
    // Not a const: every const string in this namespace is a T-SQL statement, and the tests parse them all.
    private static readonly string ResourcePrefix = "ContentWatch.Storage.Schema.SqlServer.";

    /// <summary>Waits up to two minutes for another node's migration; a negative result means the lock was not granted.</summary>
    private const string TakeLock = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'contentwatch:schema', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 120000;
        SELECT @result;
        """;

    private const string CreateVersionTable = """
        IF OBJECT_ID(N'schema_version', N'U') IS NULL
            CREATE TABLE schema_version (
                version    int           NOT NULL CONSTRAINT pk_schema_version PRIMARY KEY,
                name       nvarchar(200) NOT NULL,
                applied_at nvarchar(24)  NOT NULL
            );
        """;

    private const string IsApplied = "SELECT COUNT(*) FROM schema_version WHERE version = @version;";

    private const string AppliedVersions = SchemaVersions.Applied;

    private const string RecordVersion = "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @appliedAt);";

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        foreach (var script in Scripts())
        {
            var done = await db.InTransactionAsync(
                async (connection, transaction, ct) =>
                {
                    var locked = await connection.ExecuteScalarAsync<int>(new CommandDefinition(TakeLock, transaction: transaction, commandTimeout: 150, cancellationToken: ct)).ConfigureAwait(false);
                    if (locked < 0)
                    {
                        throw new InvalidOperationException($"Could not take the schema migration lock (sp_getapplock returned {locked}).");
                    }

                    await connection.ExecuteAsync(new CommandDefinition(CreateVersionTable, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
                    var count = await connection.ExecuteScalarAsync<int>(
                        new CommandDefinition(IsApplied, new { version = script.Version }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    if (count > 0)
                    {
                        return false;
                    }

                    foreach (var batch in Batches(script.Sql))
                    {
                        await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction, commandTimeout: 600, cancellationToken: ct)).ConfigureAwait(false);
                    }

                    await connection.ExecuteAsync(new CommandDefinition(
                        RecordVersion,
                        new { version = script.Version, name = script.Name, appliedAt = DbValues.Time(time.GetUtcNow()) },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            if (done)
            {
                applied.Add(script.Name);
            }
        }

        return applied;
    }

    public async Task<int> CountUnappliedAsync(CancellationToken cancellationToken)
    {
        var applied = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<int>(new CommandDefinition(AppliedVersions, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return SchemaVersions.CountUnapplied(ShippedVersions.Value, applied);
    }

    private static readonly Lazy<IReadOnlyList<int>> ShippedVersions = new(() => [.. Scripts().Select(s => s.Version)]);

    /// <summary>The batches of a script: the text between lines that hold only <c>GO</c>, empty ones left out.</summary>
    public static IReadOnlyList<string> Batches(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return GoLine().Split(script).Where(b => !string.IsNullOrWhiteSpace(b)).Select(b => b.Trim()).ToList();
    }

    /// <summary>The embedded scripts in version order, as (version, name, text).</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(SqlServerStorageMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[ResourcePrefix.Length..^".sql".Length];
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return (version, name, Read(assembly, n));
            })
            .OrderBy(s => s.version)
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Schema script {resource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^[ \t]*GO[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GoLine();
}
