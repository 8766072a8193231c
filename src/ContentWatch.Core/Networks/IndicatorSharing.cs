using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContentWatch.Core.Export;
using CsvHelper;
using CsvHelper.Configuration;

namespace ContentWatch.Core.Networks;

/// <summary>What is shared with partners and how it is marked (section <c>Sharing</c>).</summary>
public sealed class SharingOptions
{
    public const string Section = "Sharing";

    /// <summary>The Traffic Light Protocol marking on every shared indicator: white, green, amber or red (STIX 2.1's TLP marking definitions).</summary>
    [RegularExpression("^(white|green|amber|red)$")]
    public string Tlp { get; set; } = "amber";

    /// <summary>The organisation named as the indicators' creator.</summary>
    [Required]
    [MaxLength(200)]
    public string IdentityName { get; set; } = "ContentWatch referral unit";
}

/// <summary>
/// The watched indicators as a STIX 2.1 bundle or CSV. Only the indicator, its span, platforms, item count and
/// categories travel: no reporter, no officer, no reason typed by an officer, no item text.
/// </summary>
public static class IndicatorSharing
{
    /// <summary>The TLP marking definitions that STIX 2.1 defines (section 7.2.1.4), by level.</summary>
    public static readonly IReadOnlyDictionary<string, string> TlpMarkings = new Dictionary<string, string>
    {
        ["white"] = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        ["green"] = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        ["amber"] = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        ["red"] = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
    };

    public const string StixMediaType = "application/stix+json;version=2.1";

    /// <summary>Namespace of the name-based (version 5) ids: the same indicator keeps its STIX id from one export to the next.</summary>
    private static readonly Guid IdNamespace = new("6f1b7e0c-56a4-4d0e-9a53-4f2b0e6c2d11");

    public static JsonObject StixBundle(IReadOnlyList<SharedIndicator> indicators, SharingOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(options);
        var marking = TlpMarkings[options.Tlp];
        var identityId = "identity--" + NameId("identity:" + options.IdentityName);
        var objects = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "marking-definition", ["spec_version"] = "2.1", ["id"] = marking, ["created"] = "2017-01-20T00:00:00.000Z",
                ["definition_type"] = "tlp", ["name"] = "TLP:" + options.Tlp.ToUpperInvariant(), ["definition"] = new JsonObject { ["tlp"] = options.Tlp },
            },
            new JsonObject
            {
                ["type"] = "identity", ["spec_version"] = "2.1", ["id"] = identityId, ["created"] = "2026-01-01T00:00:00.000Z",
                ["modified"] = "2026-01-01T00:00:00.000Z", ["name"] = options.IdentityName, ["identity_class"] = "organization",
            },
        };
        foreach (var i in indicators)
        {
            var created = Timestamp(i.WatchedSince);
            objects.Add(new JsonObject
            {
                ["type"] = "indicator",
                ["spec_version"] = "2.1",
                ["id"] = "indicator--" + NameId($"{i.Type}:{i.Value}"),
                ["created_by_ref"] = identityId,
                ["created"] = created,
                ["modified"] = Timestamp(now < i.WatchedSince ? i.WatchedSince : now),
                ["name"] = $"{i.Type} {i.Value}",
                ["description"] = $"Contact or payment detail in {i.ItemCount} reported advert(s) on {string.Join(", ", i.Platforms)}; "
                    + $"confirmed as {(i.Categories.Count == 0 ? "watched by an officer" : string.Join(", ", i.Categories))}.",
                ["indicator_types"] = new JsonArray("malicious-activity"),
                ["pattern"] = Pattern(i.Type, i.Value),
                ["pattern_type"] = "stix",
                ["pattern_version"] = "2.1",
                ["valid_from"] = i.FirstSeen is { } first && first < i.WatchedSince ? Timestamp(first) : created,
                ["labels"] = new JsonArray([.. i.Categories.Select(c => (JsonNode)c)]),
                ["object_marking_refs"] = new JsonArray(marking),
                ["x_contentwatch_indicator_type"] = i.Type,
                ["x_contentwatch_first_seen"] = i.FirstSeen is { } f ? Timestamp(f) : null,
                ["x_contentwatch_last_seen"] = i.LastSeen is { } l ? Timestamp(l) : null,
                ["x_contentwatch_platforms"] = new JsonArray([.. i.Platforms.Select(p => (JsonNode)p)]),
                ["x_contentwatch_item_count"] = i.ItemCount,
            });
        }

        return new JsonObject { ["type"] = "bundle", ["id"] = "bundle--" + Guid.CreateVersion7(now).ToString("D"), ["objects"] = objects };
    }

    /// <summary>
    /// The STIX pattern of an indicator. Core observables where STIX has one (url, domain-name, email-addr, and
    /// user-account for messenger handles); custom observables for phone numbers, wallets and IBANs, which it lacks.
    /// </summary>
    public static string Pattern(string type, string value)
    {
        var v = "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        return type switch
        {
            IndicatorTypes.Url => $"[url:value = {v}]",
            IndicatorTypes.Domain => $"[domain-name:value = {v}]",
            IndicatorTypes.Email => $"[email-addr:value = {v}]",
            IndicatorTypes.Phone => $"[x-phone-number:value = {v}]",
            IndicatorTypes.Wallet => $"[x-cryptocurrency-wallet:address = {v}]",
            IndicatorTypes.Iban => $"[x-bank-account:iban = {v}]",
            _ => $"[user-account:account_type = '{type}' AND user-account:account_login = {v}]",
        };
    }

    public static readonly IReadOnlyList<string> CsvColumns = ["type", "value", "firstSeen", "lastSeen", "watchedSince", "itemCount", "platforms", "categories"];

    /// <summary>One indicator a row; cells a spreadsheet would run as formulas (a phone's '+') are prefixed with an apostrophe.</summary>
    public static async Task WriteCsvAsync(IReadOnlyList<SharedIndicator> indicators, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        // Cells a spreadsheet would run as a formula are escaped by CsvHelper, as in the notice CSV.
        await using var csv = new CsvWriter(writer, NoticeCsv.Configuration, leaveOpen: true);
        foreach (var column in CsvColumns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        foreach (var i in indicators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] row =
            [
                i.Type, i.Value, i.FirstSeen is { } f ? Timestamp(f) : "", i.LastSeen is { } l ? Timestamp(l) : "", Timestamp(i.WatchedSince),
                i.ItemCount.ToString(CultureInfo.InvariantCulture), string.Join(' ', i.Platforms), string.Join(' ', i.Categories),
            ];
            foreach (var field in row)
            {
                csv.WriteField(field);
            }

            await csv.NextRecordAsync();
        }
    }

    /// <summary>STIX timestamps: UTC with milliseconds.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A name-based UUID (RFC 9562 version 5, SHA-1) in <see cref="IdNamespace"/>.</summary>
    public static string NameId(string name)
    {
        var input = new List<byte>(IdNamespace.ToByteArray(bigEndian: true));
        input.AddRange(Encoding.UTF8.GetBytes(name));
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 ids; it is not used for security here
        var hash = SHA1.HashData([.. input]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
