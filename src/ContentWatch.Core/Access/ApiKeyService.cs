using System.Security.Cryptography;
using System.Text;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Access;

/// <summary>Issues and checks API keys. Keys are 256-bit random secrets; only their SHA-256 is stored.</summary>
public sealed class ApiKeyService(IApiKeyStore store)
{
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

    /// <summary>Creates a key for a role (and platform) that passed <see cref="Validate"/>; the key is shown once, here.</summary>
    public async Task<(string Key, ApiKeyInfo Info)> CreateAsync(string role, string? platform, CancellationToken cancellationToken)
    {
        var key = "cw_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var info = await store.CreateAsync(Hash(key), role, platform?.ToLowerInvariant(), cancellationToken);
        return (key, info);
    }

    public Task EnsureBootstrapAdminAsync(string key, CancellationToken cancellationToken) =>
        store.EnsureAsync(Hash(key), Roles.Admin, null, cancellationToken);

    public Task<ApiKeyInfo?> FindAsync(string key, CancellationToken cancellationToken) =>
        key.Length is < 8 or > 256 ? Task.FromResult<ApiKeyInfo?>(null) : store.FindAsync(Hash(key), cancellationToken);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
