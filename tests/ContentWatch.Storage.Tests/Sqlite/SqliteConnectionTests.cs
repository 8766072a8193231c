using ContentWatch.Storage.Sqlite;
using Dapper;

namespace ContentWatch.Storage.Tests.Sqlite;

/// <summary>SQLite-only: the connection settings that make an accepted report survive a killed process.</summary>
public sealed class SqliteConnectionTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "cw-storage-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Open_UsesWal_FullSync_ForeignKeys_AndABusyTimeout()
    {
        var factory = new SqliteConnectionFactory(StorageOptions.ForDataDirectory(directory));

        await using var connection = await factory.OpenAsync(CancellationToken.None);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous;"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys;"));
        Assert.Equal(5000, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout;"));
        Assert.True(File.Exists(Path.Combine(directory, StorageOptions.DatabaseFileName)));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
