namespace ContentWatch.Core.Access;

/// <summary>A review desk account. Only a PBKDF2 hash of the password is kept (<see cref="PasswordHashing"/>).</summary>
/// <param name="FailedSignIns">Sign-in attempts counted since <paramref name="FailuresSince"/> and not yet cleared by a good one.</param>
/// <param name="LockedUntil">Set when the count reaches the limit: no password is checked before then.</param>
/// <param name="SecurityStamp">Changes when the account's sessions are revoked (sign-out, lock, password reset, lock-out);
/// a desk cookie carrying an older stamp is refused.</param>
/// <param name="Disabled">Locked by an admin (<c>contentwatch users lock</c>) until unlocked.</param>
public sealed record DeskUser(
    string Id,
    string Username,
    string Role,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    string SecurityStamp = "",
    DateTimeOffset? FailuresSince = null,
    bool Disabled = false);

public interface IUserStore
{
    /// <summary>Creates an account; fails (a database error) when the user name is taken.</summary>
    Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken);

    Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a sign-in attempt before its password is checked, in one statement, so attempts made at once are all
    /// counted. The count starts again when the window that began with the first counted attempt is over. Returns the
    /// attempt's number in the window, or null (nothing counted) when the account is unknown, disabled or locked, or
    /// the window already holds <paramref name="maxAttempts"/>. The attempt that reaches <paramref name="maxAttempts"/>
    /// locks the account for <paramref name="window"/> from <paramref name="now"/>.
    /// </summary>
    Task<int?> TakeSignInAttemptAsync(string userId, int maxAttempts, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>After a good password: clears the count and the lock, so the attempt is not held against the account.</summary>
    Task RecordSignInAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Gives the account a new security stamp, so every cookie issued before is refused. Returns the new stamp.</summary>
    Task<string> RevokeSessionsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Locks (<paramref name="disabled"/> true, sessions revoked) or unlocks (count and lock-out cleared too) an account.
    /// False when there is no such account.
    /// </summary>
    Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash, revokes the sessions and clears the count and lock-out. False when unknown.</summary>
    Task<bool> SetPasswordAsync(string username, string passwordHash, CancellationToken cancellationToken);
}
