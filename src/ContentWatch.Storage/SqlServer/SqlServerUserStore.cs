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
        INSERT INTO users (id, username, role, password_hash, failed_sign_ins, locked_until, created_at)
        SELECT @id, @username, @role, @passwordHash, 0, NULL, @createdAt
        WHERE NOT EXISTS (SELECT 1 FROM users WITH (UPDLOCK, HOLDLOCK) WHERE id = @id);
        """;

    // SQL Server's = ignores trailing spaces ('ana ' = 'ana'); the length check makes the match exact, as in SQLite.
    private const string Find = """
        SELECT id AS Id, username AS Username, role AS Role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns,
               locked_until AS LockedUntil, created_at AS CreatedAt
        FROM users
        WHERE username = @username AND DATALENGTH(username) = DATALENGTH(@username);
        """;

    // One statement, so two failures at once are both counted; SET reads the row's values from before the update, as in
    // SQLite. users has no trigger, so the plain OUTPUT is allowed; no row comes back for an unknown id.
    private const string RecordFailedSignIn = """
        UPDATE users
        SET locked_until = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @lockedUntil ELSE locked_until END,
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END
        OUTPUT inserted.id AS Id, inserted.username AS Username, inserted.role AS Role, inserted.password_hash AS PasswordHash,
               inserted.failed_sign_ins AS FailedSignIns, inserted.locked_until AS LockedUntil, inserted.created_at AS CreatedAt
        WHERE id = @userId;
        """;

    private const string RecordSignIn = "UPDATE users SET failed_sign_ins = 0 WHERE id = @userId;";

    public async Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        var id = Ids.New();
        var createdAt = DbValues.Time(time.GetUtcNow());
        await db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(Insert, new { id, username, role, passwordHash, createdAt }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return new DeskUser(id, username, role, passwordHash, 0, null, DbValues.ParseTime(createdAt));
    }

    public async Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var row = await db.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(Find, new { username }, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToUser();
    }

    public async Task<DeskUser?> RecordFailedSignInAsync(string userId, int maxFailures, DateTimeOffset lockedUntil, CancellationToken cancellationToken)
    {
        // Counting is not idempotent, so it runs in a transaction: a failure before the commit rolls the count back and
        // the whole transaction is rerun; a failure during the commit, whose outcome is unknown, is not rerun.
        var row = await db.InTransactionAsync(
            (connection, transaction, ct) => connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
                RecordFailedSignIn, new { userId, maxFailures, lockedUntil = DbValues.Time(lockedUntil) }, transaction, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToUser();
    }

    public Task RecordSignInAsync(string userId, CancellationToken cancellationToken) =>
        db.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(RecordSignIn, new { userId }, cancellationToken: ct)),
            cancellationToken);
}
