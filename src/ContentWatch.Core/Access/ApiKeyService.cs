using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Access;

/// <summary>Issues, checks and revokes API keys. Keys are 256-bit random secrets; only their SHA-256 is stored.</summary>
public sealed class ApiKeyService(IApiKeyStore store, TimeProvider time)
{
    /// <summary>The environment variable (or setting) holding the bootstrap admin key.</summary>
    public const string BootstrapVariable = "CONTENTWATCH_BOOTSTRAP_ADMIN_KEY";

    public const int MinBootstrapKeyLength = 24;

    /// <summary>The example value the README once showed: public, so never a key.</summary>
    public const string SampleBootstrapKey = "change-me-long-random";

    /// <summary>How stale a key's last-used time may get: a request writes it at most once in this time.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<FieldError> Validate(string? role, string? platform)
    {
        var errors = new List<FieldError>();
        if (role is null || !Roles.All.Contains(role))
        {
            errors.Add(new FieldError("role", "must be one of intake, officer, platform, admin"));
        }
        else if (role == Roles.Platform && string.IsNullOrWhiteSpace(platform))
        {
            errors.Add(new FieldError("platform", "a platform key is bound to one platform: name it"));
        }
        else if (role != Roles.Platform && platform is not null)
        {
            errors.Add(new FieldError("platform", "only platform keys are bound to a platform"));
        }

        if (platform is not null && !ReportParser.IsPlatformName(platform))
        {
            errors.Add(new FieldError("platform", "use letters, digits, '.', '_' or '-' (at most 64)"));
        }

        return errors;
    }

    /// <summary>Why <paramref name="key"/> may not be the bootstrap admin key, or null when it may. Never echoes the key.</summary>
    public static string? BootstrapKeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Trim() == SampleBootstrapKey)
        {
            return $"{BootstrapVariable} holds the README's sample value, which anyone can read: set it to a random secret of at least {MinBootstrapKeyLength} characters, e.g. \"$(head -c 24 /dev/urandom | base64)\".";
        }

        return key.Length < MinBootstrapKeyLength
            ? $"{BootstrapVariable} is {key.Length} characters long: use a random secret of at least {MinBootstrapKeyLength} characters, e.g. \"$(head -c 24 /dev/urandom | base64)\"."
            : null;
    }

    /// <summary>Creates a key for a role (and platform) that passed <see cref="Validate"/>; the key is shown once, here.</summary>
    public async Task<(string Key, ApiKeyInfo Info)> CreateAsync(string role, string? platform, CancellationToken cancellationToken)
    {
        var key = "cw_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var info = await store.CreateAsync(Hash(key), role, platform?.ToLowerInvariant(), cancellationToken);
        return (key, info);
    }

    /// <summary>
    /// Makes <paramref name="key"/> the bootstrap admin key, revoking the one it replaces. Throws
    /// <see cref="InvalidOperationException"/> for a key that is too short, the README's sample, or a revoked key.
    /// </summary>
    public async Task<ApiKeyInfo> EnsureBootstrapAdminAsync(string key, CancellationToken cancellationToken)
    {
        if (BootstrapKeyProblem(key) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var info = await store.EnsureBootstrapAsync(Hash(key), cancellationToken);
        if (info.Role != Roles.Admin)
        {
            throw new InvalidOperationException($"{BootstrapVariable} holds the {info.Role} key {info.Id}: set a new random secret.");
        }

        return info.RevokedAt is { } revoked
            ? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{BootstrapVariable} holds key {info.Id}, revoked at {revoked:yyyy-MM-dd HH:mm} UTC: set a new random secret."))
            : info;
    }

    /// <summary>The key's details unless it is unknown or revoked; records when it was used (to the minute).</summary>
    public async Task<ApiKeyInfo?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length is < 8 or > 256)
        {
            return null;
        }

        var info = await store.FindAsync(Hash(key), cancellationToken);
        var now = time.GetUtcNow();
        if (info is not null && (info.LastUsedAt is not { } used || now - used >= LastUsedResolution))
        {
            await store.MarkUsedAsync(info.Id, now, cancellationToken);
            info = info with { LastUsedAt = now };
        }

        return info;
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Revokes a key by its id: it is refused from the next request on. False when there is no such key.</summary>
    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) => store.RevokeAsync(id, cancellationToken);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
