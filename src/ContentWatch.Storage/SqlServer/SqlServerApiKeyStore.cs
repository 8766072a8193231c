using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

public sealed class SqlServerApiKeyStore(SqlServerConnectionFactory db, TimeProvider time) : IApiKeyStore
{
    // Idempotent by id: RunAsync reruns it after a timeout or a dropped connection, when the first run may have
    // committed; the rerun then finds its own row and inserts nothing, rather than failing on the key's unique hash.
    private const string Insert = """
        INSERT INTO api_keys (id, key_hash, role, platform, created_at)
        SELECT @id, @keyHash, @role, @platform, @createdAt
        WHERE NOT EXISTS (SELECT 1 FROM api_keys WITH (UPDLOCK, HOLDLOCK) WHERE id = @id);
        """;

    // The range lock (HOLDLOCK) makes a racing start wait rather than insert the same hash; the unique constraint stays
    // the last word, and its error is taken as "already there" (the transaction then runs again and finds it). An admin
    // key stored before version 5 (when keys had no bootstrap mark) becomes the bootstrap key as it is.
    private const string EnsureBootstrap = """
        UPDATE api_keys WITH (UPDLOCK, HOLDLOCK) SET bootstrap = 1 WHERE key_hash = @keyHash AND role = N'admin';
        INSERT INTO api_keys (id, key_hash, role, platform, created_at, bootstrap)
        SELECT @id, @keyHash, N'admin', NULL, @now, 1
        WHERE NOT EXISTS (SELECT 1 FROM api_keys WITH (UPDLOCK, HOLDLOCK) WHERE key_hash = @keyHash);
        UPDATE api_keys SET revoked_at = @now WHERE bootstrap = 1 AND key_hash <> @keyHash AND revoked_at IS NULL;
        """;

    private const string FindByHash = "SELECT " + KeyRow.Columns + "\nFROM api_keys WHERE key_hash = @keyHash;";

    private const string Find = "SELECT " + KeyRow.Columns + "\nFROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL;";

    private const string List = "SELECT " + KeyRow.Columns + "\nFROM api_keys ORDER BY created_at, id;";

    private const string Revoke = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id;";

    private const string MarkUsed = "UPDATE api_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at);";

    public async Task<ApiKeyInfo> CreateAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(Insert, new { id, keyHash, role, platform, createdAt }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return new ApiKeyInfo(id, role, platform, DbValues.ParseTime(createdAt));
    }

    public async Task<ApiKeyInfo> EnsureBootstrapAsync(string keyHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        var parameters = new { id = Ids.New(), keyHash, now = DbValues.Time(time.GetUtcNow()) };
        var row = await db.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(EnsureBootstrap, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(FindByHash, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            },
            cancellationToken,
            SqlRetryPolicy.IsDuplicateKey).ConfigureAwait(false);
        return row.ToInfo();
    }

    public async Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(Find, new { keyHash }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToInfo();
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.RunAsync(
            (connection, ct) => connection.QueryAsync<KeyRow>(new CommandDefinition(List, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInfo())];
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(
                Revoke, new { id, now = DbValues.Time(time.GetUtcNow()) }, transaction, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;

    public Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(MarkUsed, new { id, at = DbValues.Time(at) }, cancellationToken: ct)),
            cancellationToken);
}
