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

    // The range lock (HOLDLOCK) makes a racing EnsureAsync wait rather than insert the same hash; the unique
    // constraint stays the last word, and its error is taken as "already there".
    private const string InsertIfMissing = """
        INSERT INTO api_keys (id, key_hash, role, platform, created_at)
        SELECT @id, @keyHash, @role, @platform, @createdAt
        WHERE NOT EXISTS (SELECT 1 FROM api_keys WITH (UPDLOCK, HOLDLOCK) WHERE key_hash = @keyHash);
        """;

    private const string Find = """
        SELECT id AS Id, role AS Role, platform AS Platform, created_at AS CreatedAt
        FROM api_keys
        WHERE key_hash = @keyHash;
        """;

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

    public async Task EnsureAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        try
        {
            await db.RunAsync(
                (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                    InsertIfMissing, new { id = Ids.New(), keyHash, role, platform, createdAt = DbValues.Time(time.GetUtcNow()) }, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SqlRetryPolicy.IsDuplicateKey(e))
        {
            // Another node stored the same key between the check and the insert: it is there, as asked.
        }
    }

    public async Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(Find, new { keyHash }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToInfo();
    }
}
