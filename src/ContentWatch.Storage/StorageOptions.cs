using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage;

/// <summary>Where ContentWatch keeps its data. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    /// <summary>Named so the error can say it is coming, not that it is unknown.</summary>
    public const string SqlServerProvider = "SqlServer";

    public const string DatabaseFileName = "contentwatch.db";

    /// <summary>The database engine; only <c>Sqlite</c> for now.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The connection string; when empty, <c>Data Source=&lt;DataDirectory&gt;/contentwatch.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder the default SQLite database lives in (created on first use).</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Options for a SQLite database in <paramref name="dataDirectory"/>.</summary>
    public static StorageOptions ForDataDirectory(string dataDirectory) => new() { DataDirectory = dataDirectory };

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, DatabaseFileName) }.ToString()
            : ConnectionString;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the bad key; call at start-up.</summary>
    public void Validate()
    {
        if (string.Equals(Provider, SqlServerProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Provider is '{Provider}', but SQL Server storage is not available yet; use '{SqliteProvider}'.");
        }

        if (!string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Provider is '{Provider}'; the supported value is '{SqliteProvider}'.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new InvalidOperationException($"Set {SectionName}:ConnectionString or {SectionName}:DataDirectory.");
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(EffectiveConnectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                throw new InvalidOperationException($"{SectionName}:ConnectionString has no Data Source.");
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{SectionName}:ConnectionString is not a valid SQLite connection string: {e.Message}", e);
        }
    }
}
