namespace ContentWatch.Core.Access;

public static class Roles
{
    public const string Intake = "intake";
    public const string Officer = "officer";
    public const string Platform = "platform";
    public const string Admin = "admin";

    /// <summary>Desk accounts only: sees the dashboard and referrals besides reviewing.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>The roles an API key may have.</summary>
    public static readonly IReadOnlyList<string> All = [Intake, Officer, Platform, Admin];

    /// <summary>The roles a desk account may have.</summary>
    public static readonly IReadOnlyList<string> DeskRoles = [Officer, Supervisor, Admin];
}

/// <summary>A stored API key (only its hash is kept).</summary>
/// <param name="LastUsedAt">When a request last authenticated with it, to the minute.</param>
/// <param name="Bootstrap">Made from <c>CONTENTWATCH_BOOTSTRAP_ADMIN_KEY</c>.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Role,
    string? Platform,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt = null,
    DateTimeOffset? RevokedAt = null,
    bool Bootstrap = false);

public interface IApiKeyStore
{
    Task<ApiKeyInfo> CreateAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the key with this hash the bootstrap admin key: creates it unless it exists, and revokes every other
    /// bootstrap key, in one transaction. Returns the key as stored (a revoked one stays revoked).
    /// </summary>
    Task<ApiKeyInfo> EnsureBootstrapAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>The key with this hash unless it is revoked.</summary>
    Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key; false when there is no key with this id. Revoking a revoked key keeps its first time.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records that the key was used at <paramref name="at"/>.</summary>
    Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
