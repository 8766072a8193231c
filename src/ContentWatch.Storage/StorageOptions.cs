using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace ContentWatch.Storage;

/// <summary>Where ContentWatch keeps its data. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    public const string SqlServerProvider = "SqlServer";

    public const string DatabaseFileName = "contentwatch.db";

    /// <summary>The database engine: <c>Sqlite</c> (embedded, the default) or <c>SqlServer</c> (needs <see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The connection string; for SQLite, when empty, <c>Data Source=&lt;DataDirectory&gt;/contentwatch.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder the default SQLite database lives in (created on first use).</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Options for a SQLite database in <paramref name="dataDirectory"/>.</summary>
    public static StorageOptions ForDataDirectory(string dataDirectory) => new() { DataDirectory = dataDirectory };

    public bool IsSqlServer => string.Equals(Provider, SqlServerProvider, StringComparison.OrdinalIgnoreCase);

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, DatabaseFileName) }.ToString()
            : ConnectionString;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the bad key; call at start-up. Never connects.</summary>
    public void Validate()
    {
        if (IsSqlServer)
        {
            ValidateSqlServer();
            return;
        }

        if (!string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Provider is '{Provider}'; the supported values are '{SqliteProvider}' and '{SqlServerProvider}'.");
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

    private void ValidateSqlServer()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Provider is '{SqlServerProvider}'; set {SectionName}:ConnectionString to the SQL Server database (e.g. Server=db;Database=contentwatch;...).");
        }

        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message names the bad keyword only; the connection string itself may hold a password.
            throw new InvalidOperationException($"{SectionName}:ConnectionString is not a valid SQL Server connection string: {e.Message}", e);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new InvalidOperationException($"{SectionName}:ConnectionString has no Server (Data Source).");
        }

        if (string.IsNullOrWhiteSpace(builder.InitialCatalog))
        {
            throw new InvalidOperationException($"{SectionName}:ConnectionString has no Database (Initial Catalog); ContentWatch keeps its tables in a database of its own.");
        }
    }
}
