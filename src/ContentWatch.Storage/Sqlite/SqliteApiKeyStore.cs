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

    public async Task<ApiKeyInfo> EnsureBootstrapAsync(string keyHash, CancellationToken cancellationToken)
    {
        // An admin key stored before version 5 (when keys had no bootstrap mark) becomes the bootstrap key as it is.
        const string insert = """
            INSERT INTO api_keys (id, key_hash, role, platform, created_at, bootstrap)
            VALUES (@id, @keyHash, 'admin', NULL, @now, 1)
            ON CONFLICT (key_hash) DO UPDATE SET bootstrap = 1 WHERE role = 'admin';
            """;
        const string revokeOthers = """
            UPDATE api_keys SET revoked_at = @now
            WHERE bootstrap = 1 AND key_hash <> @keyHash AND revoked_at IS NULL;
            """;
        const string select = "SELECT " + KeyRow.Columns + "\nFROM api_keys WHERE key_hash = @keyHash;";

        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        var parameters = new { id = Ids.New(), keyHash, now = DbValues.Time(time.GetUtcNow()) };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(insert, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(revokeOthers, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(select, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row.ToInfo();
    }

    public async Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        const string sql = "SELECT " + KeyRow.Columns + "\nFROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, new { keyHash }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT " + KeyRow.Columns + "\nFROM api_keys ORDER BY created_at, id;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(sql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInfo())];
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id, now = DbValues.Time(time.GetUtcNow()) }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE api_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at);";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, at = DbValues.Time(at) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
