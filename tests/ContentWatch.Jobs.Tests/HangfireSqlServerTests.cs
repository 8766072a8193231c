using System.Text.RegularExpressions;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Jobs.Tests;

/// <summary>
/// Hangfire's SQL Server storage: the options ContentWatch sets and the schema start-up installs. The upgrade test runs
/// against a real server when CONTENTWATCH_TEST_SQLSERVER names one (scripts/sqlserver-tests.sh), and is skipped otherwise.
/// </summary>
public sealed partial class HangfireSqlServerTests
{
    private const string EnvironmentVariable = "CONTENTWATCH_TEST_SQLSERVER";

    private static readonly string? Server = Environment.GetEnvironmentVariable(EnvironmentVariable);

    [Fact]
    public void TheInstallScript_RunsHeavyMigrations_BecauseTheOptionsNeedSchema8()
    {
        Assert.True(JobsRegistration.SqlServerOptions().UseIgnoreDupKeyOption);

        // Hangfire's script stops an existing schema at 5 or 7 when this line is live; it must stay a comment
        var script = JobsRegistration.HangfireInstallScript();
        Assert.Contains("@DISABLE_HEAVY_MIGRATIONS = 1", script, StringComparison.Ordinal);
        Assert.DoesNotMatch(LiveDisableLine(), script);
    }

    [SkippableFact]
    public async Task StartUp_UpgradesAHangFireSchemaOlderThan8_SoHashAndSetWritesWithIgnoreDupKeyWork()
    {
        Skip.If(string.IsNullOrWhiteSpace(Server), $"needs {EnvironmentVariable} set to a SQL Server connection string (scripts/sqlserver-tests.sh)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var database = $"cw_test_{Guid.NewGuid():N}";
        var connectionString = ConnectionString(database);
        await ExecuteAsync(ConnectionString("master"), $"CREATE DATABASE [{database}];", timeout.Token);
        try
        {
            await using var services = new ServiceCollection().AddSingleton(new JobsSetup(connectionString, RunsWorker: true)).BuildServiceProvider();
            await services.PrepareJobStorageAsync(timeout.Token);

            // bring the schema back to what Hangfire 1.7 left: version 7, Hash and Set without IGNORE_DUP_KEY
            await ExecuteAsync(connectionString, """
                ALTER TABLE [HangFire].[Hash] REBUILD WITH (IGNORE_DUP_KEY = OFF);
                ALTER TABLE [HangFire].[Set] REBUILD WITH (IGNORE_DUP_KEY = OFF);
                DROP INDEX [IX_HangFire_State_CreatedAt] ON [HangFire].[State];
                UPDATE [HangFire].[Schema] SET [Version] = 7;
                """, timeout.Token);

            await services.PrepareJobStorageAsync(timeout.Token);

            Assert.Equal(9, await ScalarAsync(connectionString, "SELECT [Version] FROM [HangFire].[Schema];", timeout.Token));
            var storage = new SqlServerStorage(connectionString, JobsRegistration.SqlServerOptions());
            using var connection = storage.GetConnection();
            for (var i = 0; i < 2; i++)
            {
                connection.SetRangeInHash("recurring-job:probe", [new KeyValuePair<string, string>("Cron", "* * * * *")]);
                using var transaction = connection.CreateWriteTransaction();
                transaction.AddToSet("probe", "one");
                transaction.Commit();
            }

            Assert.Equal(1, await ScalarAsync(connectionString, "SELECT COUNT(*) FROM [HangFire].[Set] WHERE [Key] = N'probe';", timeout.Token));
        }
        finally
        {
            SqlConnection.ClearAllPools();
            await ExecuteAsync(ConnectionString("master"), $"ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}];", CancellationToken.None);
        }
    }

    /// <summary>A short connect timeout: SqlClient waits it out when no server answers.</summary>
    private static string ConnectionString(string catalog) =>
        new SqlConnectionStringBuilder(Server) { InitialCatalog = catalog, ConnectTimeout = 5 }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> ScalarAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^\s*SET @DISABLE_HEAVY_MIGRATIONS = 1;", RegexOptions.Multiline)]
    private static partial Regex LiveDisableLine();
}
