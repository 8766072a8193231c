using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Access;

public enum SignInOutcome
{
    SignedIn,
    /// <summary>Unknown user, wrong password, or a disabled account: the caller is not told which.</summary>
    Refused,
    /// <summary>Refused because the account is locked out (or this failure locked it); the caller is told the same as for <see cref="Refused"/>.</summary>
    LockedOut,
}

/// <param name="LockedNow">This failure was the one that locked the account.</param>
public sealed record SignInResult(SignInOutcome Outcome, DeskUser? User, bool LockedNow = false);

/// <summary>Creates desk accounts and checks sign-ins, locking an account after repeated failures.</summary>
public sealed class UserService(IUserStore store, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    /// <summary>Checked in place of the real hash when no password may be checked, so every refusal takes as long.</summary>
    private static readonly string DummyHash = PasswordHashing.Hash("contentwatch-dummy-password");

    public static IReadOnlyList<FieldError> Validate(string? username, string? role, string? password)
    {
        var errors = new List<FieldError>();
        if (username is null || username.Length is < 2 or > 64 || !username.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
        {
            errors.Add(new FieldError("username", "use 2 to 64 lower-case letters, digits, '.', '_' or '-'"));
        }

        if (role is null || !Roles.DeskRoles.Contains(role))
        {
            errors.Add(new FieldError("role", "must be one of officer, supervisor, admin"));
        }

        if (password is null || password.Length < MinPasswordLength)
        {
            errors.Add(new FieldError("password", $"must be at least {MinPasswordLength} characters"));
        }
        else if (password.Length > MaxPasswordLength)
        {
            errors.Add(new FieldError("password", $"must be at most {MaxPasswordLength} characters"));
        }

        return errors;
    }

    /// <summary>Creates an account whose details passed <see cref="Validate"/>.</summary>
    public Task<DeskUser> CreateAsync(string username, string role, string password, CancellationToken cancellationToken) =>
        store.CreateAsync(username, role, PasswordHashing.Hash(password), cancellationToken);

    /// <summary>
    /// Checks a sign-in. The attempt is counted in the store before the password is checked, so attempts sent at once
    /// cannot get more than <see cref="MaxFailures"/> passwords checked in <see cref="LockOut"/>. An unknown name, a
    /// disabled or locked account and a wrong password take the same steps (a store write and one PBKDF2 check), so
    /// neither the answer nor its time tells which names exist.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = username.Length is > 0 and <= 64 && password.Length <= MaxPasswordLength
            ? await store.FindAsync(username.ToLowerInvariant(), cancellationToken)
            : null;
        // an unknown name runs the same counting statement, which matches no row
        var attempt = await store.TakeSignInAttemptAsync(user?.Id ?? "", MaxFailures, time.GetUtcNow(), LockOut, cancellationToken);
        var good = PasswordHashing.Verify(password, attempt is null ? DummyHash : user!.PasswordHash);
        if (user is null || user.Disabled)
        {
            return new SignInResult(SignInOutcome.Refused, null);
        }

        if (attempt is null)
        {
            return new SignInResult(SignInOutcome.LockedOut, null);
        }

        if (good)
        {
            await store.RecordSignInAsync(user.Id, cancellationToken);
            return new SignInResult(SignInOutcome.SignedIn, user);
        }

        if (attempt < MaxFailures)
        {
            return new SignInResult(SignInOutcome.Refused, null);
        }

        // the attempt that locked the account was a failure: no session of it outlives the lock-out
        await store.RevokeSessionsAsync(user.Id, cancellationToken);
        return new SignInResult(SignInOutcome.LockedOut, null, LockedNow: true);
    }

    /// <summary>
    /// True when <paramref name="stamp"/> is the current security stamp of an account that is not disabled: sign-out,
    /// <c>users lock</c>, a password reset and a lock-out each change the stamp.
    /// </summary>
    public async Task<bool> IsSessionValidAsync(string username, string? stamp, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(stamp)
        && await store.FindAsync(username, cancellationToken) is { Disabled: false } user
        && string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal);

    /// <summary>Ends every session of the account (desk sign-out).</summary>
    public async Task SignOutEverywhereAsync(string username, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(username, cancellationToken) is { } user)
        {
            await store.RevokeSessionsAsync(user.Id, cancellationToken);
        }
    }
}
