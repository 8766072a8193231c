using ContentWatch.Core.Access;

namespace ContentWatch.Storage.Rows;

// The rows the API key and user stores read, the same for every provider; Dapper converts SQLite's 64-bit integers to int.

/// <summary>An API key, without its hash.</summary>
internal sealed class KeyRow
{
    public string Id { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Platform { get; init; }
    public string CreatedAt { get; init; } = "";

    public ApiKeyInfo ToInfo() => new(Id, Role, Platform, DbValues.ParseTime(CreatedAt));
}

/// <summary>A desk account.</summary>
internal sealed class UserRow
{
    public string Id { get; init; } = "";
    public string Username { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public int FailedSignIns { get; init; }
    public string? LockedUntil { get; init; }
    public string CreatedAt { get; init; } = "";

    public DeskUser ToUser() =>
        new(Id, Username, Role, PasswordHash, FailedSignIns, DbValues.ParseOptionalTime(LockedUntil), DbValues.ParseTime(CreatedAt));
}
