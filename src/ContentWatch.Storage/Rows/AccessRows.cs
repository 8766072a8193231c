using ContentWatch.Core.Access;

namespace ContentWatch.Storage.Rows;

// The rows the API key and user stores read, the same for every provider; Dapper converts SQLite's 64-bit integers to int.

/// <summary>An API key, without its hash.</summary>
internal sealed class KeyRow
{
    /// <summary>The columns, named for this row, for every provider's SELECT.</summary>
    public const string Columns = """
        id AS Id, role AS Role, platform AS Platform, created_at AS CreatedAt, last_used_at AS LastUsedAt,
        revoked_at AS RevokedAt, bootstrap AS Bootstrap
        """;

    public string Id { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Platform { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? LastUsedAt { get; init; }
    public string? RevokedAt { get; init; }
    public bool Bootstrap { get; init; }

    public ApiKeyInfo ToInfo() => new(
        Id, Role, Platform, DbValues.ParseTime(CreatedAt), DbValues.ParseOptionalTime(LastUsedAt), DbValues.ParseOptionalTime(RevokedAt), Bootstrap);
}

/// <summary>A desk account.</summary>
internal sealed class UserRow
{
    /// <summary>The columns, named for this row, for every provider's SELECT.</summary>
    public const string Columns = """
        id AS Id, username AS Username, role AS Role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns,
        locked_until AS LockedUntil, created_at AS CreatedAt, security_stamp AS SecurityStamp, failures_since AS FailuresSince,
        disabled AS Disabled
        """;

    public string Id { get; init; } = "";
    public string Username { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public int FailedSignIns { get; init; }
    public string? LockedUntil { get; init; }
    public string CreatedAt { get; init; } = "";
    public string SecurityStamp { get; init; } = "";
    public string? FailuresSince { get; init; }
    public bool Disabled { get; init; }

    public DeskUser ToUser() =>
        new(Id, Username, Role, PasswordHash, FailedSignIns, DbValues.ParseOptionalTime(LockedUntil), DbValues.ParseTime(CreatedAt),
            SecurityStamp, DbValues.ParseOptionalTime(FailuresSince), Disabled);

    /// <summary>A new random security stamp.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
