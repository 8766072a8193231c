using ContentWatch.Core.Scans;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteScanStateStore(SqliteConnectionFactory db) : IScanStateStore
{
    public async Task<bool> HasTakenAsync(string source, string key, CancellationToken cancellationToken)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM scan_taken WHERE source = @source AND key = @key);";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { source, key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
