using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteApiKeyStore(SqliteConnectionFactory db, TimeProvider time) : IApiKeyStore
{
    public async Task<ApiKeyInfo> CreateAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO api_keys (id, key_hash, role, platform, created_at)
            VALUES (@id, @keyHash, @role, @platform, @createdAt);
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, keyHash, role, platform, createdAt }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ApiKeyInfo(id, role, platform, DbValues.ParseTime(createdAt));
    }

    public async Task EnsureAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO api_keys (id, key_hash, role, platform, created_at)
            VALUES (@id, @keyHash, @role, @platform, @createdAt)
            ON CONFLICT (key_hash) DO NOTHING;
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id = Ids.New(), keyHash, role, platform, createdAt = DbValues.Time(time.GetUtcNow()) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, role AS Role, platform AS Platform, created_at AS CreatedAt
            FROM api_keys
            WHERE key_hash = @keyHash;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, new { keyHash }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToInfo();
    }
}
