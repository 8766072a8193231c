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
public sealed record ApiKeyInfo(string Id, string Role, string? Platform, DateTimeOffset CreatedAt);

public interface IApiKeyStore
{
    Task<ApiKeyInfo> CreateAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken);

    /// <summary>Creates the key with this hash unless it exists (used for the bootstrap admin key).</summary>
    Task EnsureAsync(string keyHash, string role, string? platform, CancellationToken cancellationToken);

    Task<ApiKeyInfo?> FindAsync(string keyHash, CancellationToken cancellationToken);
}
