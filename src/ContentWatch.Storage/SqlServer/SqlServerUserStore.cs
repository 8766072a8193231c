using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Storage.Rows;
using Dapper;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Desk accounts on SQL Server, as <see cref="Sqlite.SqliteUserStore"/>: a taken user name fails with the unique
/// constraint's error (a <see cref="System.Data.Common.DbException"/>, number 2627), as SQLite's does.
/// </summary>
public sealed class SqlServerUserStore(SqlServerConnectionFactory db, TimeProvider time) : IUserStore
{
    // Idempotent by id: RunAsync reruns it after a timeout or a dropped connection, when the first run may have
    // committed; the rerun then finds its own row and inserts nothing, rather than reporting its own name as taken.
    private const string Insert = """
        INSERT INTO users (id, username, role, password_hash, failed_sign_ins, locked_until, created_at, security_stamp)
        SELECT @id, @username, @role, @passwordHash, 0, NULL, @createdAt, @stamp
        WHERE NOT EXISTS (SELECT 1 FROM users WITH (UPDLOCK, HOLDLOCK) WHERE id = @id);
        """;

    // SQL Server's = ignores trailing spaces ('ana ' = 'ana'); the length check makes the match exact, as in SQLite.
    private const string Find = "SELECT " + UserRow.Columns + """

        FROM users
        WHERE username = @username AND DATALENGTH(username) = DATALENGTH(@username);
        """;

    // One statement, so attempts made at once are each counted and no more than maxAttempts get through, as in SQLite;
    // SET reads the row's values from before the update. users has no trigger, so the plain OUTPUT is allowed.
    private const string TakeSignInAttempt = """
        UPDATE users
        SET failed_sign_ins = CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN 1 ELSE failed_sign_ins + 1 END,
            failures_since = CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN @now ELSE failures_since END,
            locked_until = CASE WHEN (CASE WHEN failures_since IS NULL OR failures_since <= @windowStart THEN 1 ELSE failed_sign_ins + 1 END) >= @maxAttempts
                                THEN @lockedUntil ELSE locked_until END
        OUTPUT inserted.failed_sign_ins
        WHERE id = @userId AND disabled = 0
          AND (locked_until IS NULL OR locked_until <= @now)
          AND (failures_since IS NULL OR failures_since <= @windowStart OR failed_sign_ins < @maxAttempts);
        """;

    private const string RecordSignIn = """
        UPDATE users
        SET failed_sign_ins = CASE WHEN failed_sign_ins > 0 THEN failed_sign_ins - 1 ELSE 0 END, locked_until = NULL
        WHERE id = @userId;
        """;

    private const string RevokeSessions = "UPDATE users SET security_stamp = @stamp WHERE id = @userId;";

    private const string SetDisabled = """
        UPDATE users
        SET disabled = @disabled,
            security_stamp = CASE WHEN @disabled = 1 THEN @stamp ELSE security_stamp END,
            failed_sign_ins = 0, failures_since = NULL, locked_until = NULL
        WHERE username = @username AND DATALENGTH(username) = DATALENGTH(@username);
        """;

    private const string SetPassword = """
        UPDATE users
        SET password_hash = @passwordHash, security_stamp = @stamp, failed_sign_ins = 0, failures_since = NULL, locked_until = NULL
        WHERE username = @username AND DATALENGTH(username) = DATALENGTH(@username);
        """;

    public async Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        var stamp = UserRow.NewStamp();
        await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(Insert, new { id, username, role, passwordHash, createdAt, stamp }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return new DeskUser(id, username, role, passwordHash, 0, null, DbValues.ParseTime(createdAt), stamp);
    }

    public async Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(Find, new { username }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToUser();
    }

    public Task<int?> TakeSignInAttemptAsync(string userId, int maxAttempts, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        // Counting is not idempotent, so it runs in a transaction: a failure before the commit rolls the count back and
        // the whole transaction is rerun; a failure during the commit, whose outcome is unknown, is not rerun.
        var parameters = new
        {
            userId,
            maxAttempts,
            now = DbValues.Time(now),
            windowStart = DbValues.Time(now - window),
            lockedUntil = DbValues.Time(now + window),
        };
        return db.InTransactionAsync(
            (connection, transaction, ct) => connection.QuerySingleOrDefaultAsync<int?>(
                new CommandDefinition(TakeSignInAttempt, parameters, transaction, cancellationToken: ct)),
            cancellationToken);
    }

    public Task RecordSignInAsync(string userId, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(
                RecordSignIn, new { userId }, transaction, cancellationToken: ct)),
            cancellationToken);

    public async Task<string> RevokeSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        var stamp = UserRow.NewStamp();
        await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(RevokeSessions, new { userId, stamp }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return stamp;
    }

    public async Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken) =>
        await db.InTransactionAsync(
            (connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(
                SetDisabled, new { username, disabled = disabled ? 1 : 0, stamp = UserRow.NewStamp() }, transaction, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;

    public async Task<bool> SetPasswordAsync(string username, string passwordHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        return await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                SetPassword, new { username, passwordHash, stamp = UserRow.NewStamp() }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;
    }
}
