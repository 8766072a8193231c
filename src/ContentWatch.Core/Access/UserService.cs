using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Access;

public enum SignInOutcome
{
    SignedIn,
    /// <summary>Unknown user or wrong password: the caller is not told which.</summary>
    Refused,
    LockedOut,
}

public sealed record SignInResult(SignInOutcome Outcome, DeskUser? User, DateTimeOffset? LockedUntil = null);

/// <summary>Creates desk accounts and checks sign-ins, locking an account after repeated failures.</summary>
public sealed class UserService(IUserStore store, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    /// <summary>Spent on unknown user names too, so the time taken does not tell which names exist.</summary>
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

    public async Task<SignInResult> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = username.Length is > 0 and <= 64 && password.Length <= MaxPasswordLength
            ? await store.FindAsync(username.ToLowerInvariant(), cancellationToken)
            : null;
        if (user is null)
        {
            PasswordHashing.Verify(password, DummyHash);
            return new SignInResult(SignInOutcome.Refused, null);
        }

        var now = time.GetUtcNow();
        if (user.LockedUntil > now)
        {
            return new SignInResult(SignInOutcome.LockedOut, null, user.LockedUntil);
        }

        if (!PasswordHashing.Verify(password, user.PasswordHash))
        {
            var after = await store.RecordFailedSignInAsync(user.Id, MaxFailures, now + LockOut, cancellationToken);
            return after?.LockedUntil > now
                ? new SignInResult(SignInOutcome.LockedOut, null, after.LockedUntil)
                : new SignInResult(SignInOutcome.Refused, null);
        }

        if (user.FailedSignIns > 0)
        {
            await store.RecordSignInAsync(user.Id, cancellationToken);
        }

        return new SignInResult(SignInOutcome.SignedIn, user);
    }
}
