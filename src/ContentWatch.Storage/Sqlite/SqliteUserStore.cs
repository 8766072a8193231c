using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteUserStore(SqliteConnectionFactory db, TimeProvider time) : IUserStore
{
    private const string SelectUser = """
        SELECT id AS Id, username AS Username, role AS Role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns,
               locked_until AS LockedUntil, created_at AS CreatedAt
        FROM users
        """;

    public async Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO users (id, username, role, password_hash, failed_sign_ins, locked_until, created_at)
            VALUES (@id, @username, @role, @passwordHash, 0, NULL, @createdAt);
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, username, role, passwordHash, createdAt }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new DeskUser(id, username, role, passwordHash, 0, null, DbValues.ParseTime(createdAt));
    }

    public async Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken)
    {
        const string sql = SelectUser + "\nWHERE username = @username;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { username }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToUser();
    }

    public async Task<DeskUser?> RecordFailedSignInAsync(string userId, int maxFailures, DateTimeOffset lockedUntil, CancellationToken cancellationToken)
    {
        // One statement, so two failures at once are both counted.
        const string update = """
            UPDATE users
            SET locked_until = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @lockedUntil ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END
            WHERE id = @userId;
            """;
        const string select = SelectUser + "\nWHERE id = @userId;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(
            update, new { userId, maxFailures, lockedUntil = DbValues.Time(lockedUntil) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(select, new { userId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return row?.ToUser();
    }

    public async Task RecordSignInAsync(string userId, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE users SET failed_sign_ins = 0 WHERE id = @userId;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { userId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
