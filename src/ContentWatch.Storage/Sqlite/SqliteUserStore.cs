using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.Sqlite;

public sealed class SqliteUserStore(SqliteConnectionFactory db, TimeProvider time) : IUserStore
{
    private const string SelectUser = "SELECT " + UserRow.Columns + "\nFROM users";

    public async Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO users (id, username, role, password_hash, failed_sign_ins, locked_until, created_at, security_stamp)
            VALUES (@id, @username, @role, @passwordHash, 0, NULL, @createdAt, @stamp);
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        var stamp = UserRow.NewStamp();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, username, role, passwordHash, createdAt, stamp }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new DeskUser(id, username, role, passwordHash, 0, null, DbValues.ParseTime(createdAt), stamp);
    }

    public async Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken)
    {
        const string sql = SelectUser + "\nWHERE username = @username;";

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { username }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToUser();
    }

    public async Task<int?> TakeSignInAttemptAsync(string userId, int maxAttempts, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        // One statement, so attempts made at once are each counted and no more than maxAttempts get through: the WHERE
        // refuses a locked account and a full window; SET reads the row's values from before the update.
        const string sql = """
            UPDATE users
            SET failed_sign_ins = CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN 1 ELSE failed_sign_ins + 1 END,
                failures_since = CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN @now ELSE failures_since END,
                locked_until = CASE WHEN (CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN 1 ELSE failed_sign_ins + 1 END) >= @maxAttempts
                                    THEN @lockedUntil ELSE locked_until END
            WHERE id = @userId AND disabled = 0
              AND (locked_until IS NULL OR locked_until <= @now)
              AND (failures_since IS NULL OR failures_since <= @windowStart OR failed_sign_ins < @maxAttempts)
            RETURNING failed_sign_ins;
            """;

        var parameters = new
        {
            userId,
            maxAttempts,
            now = DbValues.Time(now),
            windowStart = DbValues.Time(now - window),
            lockedUntil = DbValues.Time(now + window),
        };
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task RecordSignInAsync(string userId, CancellationToken cancellationToken)
    {
        // The good attempt gives back the count it took; the failures beside it stay counted.
        const string sql = """
            UPDATE users
            SET failed_sign_ins = CASE WHEN failed_sign_ins > 0 THEN failed_sign_ins - 1 ELSE 0 END, locked_until = NULL
            WHERE id = @userId;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { userId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string> RevokeSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE users SET security_stamp = @stamp WHERE id = @userId;";

        var stamp = UserRow.NewStamp();
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { userId, stamp }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return stamp;
    }

    public async Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users
            SET disabled = @disabled,
                security_stamp = CASE WHEN @disabled = 1 THEN @stamp ELSE security_stamp END,
                failed_sign_ins = 0, failures_since = NULL, locked_until = NULL
            WHERE username = @username;
            """;

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { username, disabled = disabled ? 1 : 0, stamp = UserRow.NewStamp() }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task<bool> SetPasswordAsync(string username, string passwordHash, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE users
            SET password_hash = @passwordHash, security_stamp = @stamp, failed_sign_ins = 0, failures_since = NULL, locked_until = NULL
            WHERE username = @username;
            """;

        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            sql, new { username, passwordHash, stamp = UserRow.NewStamp() }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }
}
