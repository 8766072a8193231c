namespace ContentWatch.Core.Access;

/// <summary>A review desk account. Only a PBKDF2 hash of the password is kept (<see cref="PasswordHashing"/>).</summary>
public sealed record DeskUser(
    string Id,
    string Username,
    string Role,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt);

public interface IUserStore
{
    /// <summary>Creates an account; fails (a database error) when the user name is taken.</summary>
    Task<DeskUser> CreateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken);

    Task<DeskUser?> FindAsync(string username, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed sign-in, atomically. The failure that reaches <paramref name="maxFailures"/> locks the account until
    /// <paramref name="lockedUntil"/> and starts the count again. Returns the account as it is afterwards.
    /// </summary>
    Task<DeskUser?> RecordFailedSignInAsync(string userId, int maxFailures, DateTimeOffset lockedUntil, CancellationToken cancellationToken);

    /// <summary>Clears the failure count after a good sign-in.</summary>
    Task RecordSignInAsync(string userId, CancellationToken cancellationToken);
}
