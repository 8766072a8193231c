using ContentWatch.Core.Scans;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerScanStateStore(SqlServerConnectionFactory db) : IScanStateStore
{
    private const string HasTaken = """
        SELECT CAST(CASE WHEN EXISTS (
            SELECT 1 FROM scan_taken
            WHERE source = @source AND key_hash = CAST(HASHBYTES('SHA2_256', @key) AS binary(32))) THEN 1 ELSE 0 END AS bit);
        """;

    public Task<bool> HasTakenAsync(string source, string key, CancellationToken cancellationToken) =>
        db.RunAsync(
            (connection, ct) => connection.ExecuteScalarAsync<bool>(new CommandDefinition(HasTaken, new { source, key }, cancellationToken: ct)),
            cancellationToken);
}
