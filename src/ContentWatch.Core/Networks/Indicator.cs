using System.Text.Json.Serialization;

namespace ContentWatch.Core.Networks;

/// <summary>
/// A contact point or payment detail found in an item's text, normalised so that two ways of writing it compare
/// equal: a phone in E.164, a Telegram username in lower case without '@', an IBAN without spaces, ...
/// </summary>
public sealed record Indicator(string Type, string Value);

/// <summary>An indicator and where it was found in the text (UTF-16 offsets), for masking it out of the cluster text.</summary>
public sealed record IndicatorMatch(string Type, string Value, int Start, int Length)
{
    [JsonIgnore]
    public Indicator Indicator => new(Type, Value);
}

public static class IndicatorTypes
{
    public const string Phone = "phone";
    public const string Email = "email";
    public const string Url = "url";
    public const string Domain = "domain";
    public const string Telegram = "telegram";
    public const string WhatsApp = "whatsapp";
    public const string Signal = "signal";
    public const string Viber = "viber";
    public const string Imo = "imo";
    public const string Wallet = "wallet";
    public const string Iban = "iban";

    public static readonly IReadOnlyList<string> All = [Phone, Email, Url, Domain, Telegram, WhatsApp, Signal, Viber, Imo, Wallet, Iban];

    /// <summary>Longest value kept (a longer URL loses its query, then is dropped); fits SQL Server's index key limit.</summary>
    public const int MaxValueLength = 400;

    public static bool IsValid(string? type) => type is not null && All.Contains(type);
}
