using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentWatch.Web.Tests;

/// <summary>
/// Checks a document against the STIX 2.1 rules a consumer relies on (OASIS STIX 2.1, sections 2–4, 7.2 and 9):
/// the bundle, identifiers, timestamps, common properties, indicator patterns, references that resolve inside the
/// bundle, the TLP marking definitions the specification fixes, and custom property names. Returns what is wrong.
/// </summary>
internal static partial class Stix21
{
    private static readonly Dictionary<string, string> TlpIds = new()
    {
        ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"] = "white",
        ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"] = "green",
        ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"] = "amber",
        ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"] = "red",
    };

    private static readonly HashSet<string> CommonProperties =
    [
        "type", "spec_version", "id", "created_by_ref", "created", "modified", "revoked", "labels", "confidence", "lang", "external_references",
        "object_marking_refs", "granular_markings", "extensions",
    ];

    private static readonly Dictionary<string, HashSet<string>> Properties = new()
    {
        ["indicator"] = ["name", "description", "indicator_types", "pattern", "pattern_type", "pattern_version", "valid_from", "valid_until", "kill_chain_phases"],
        ["identity"] = ["name", "description", "roles", "identity_class", "sectors", "contact_information"],
        ["marking-definition"] = ["name", "definition_type", "definition"],
    };

    [GeneratedRegex("^[a-z0-9-]{3,250}$")]
    private static partial Regex TypeName();

    [GeneratedRegex("^[a-z0-9-]{3,250}--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")]
    private static partial Regex Timestamp();

    [GeneratedRegex("^x_[a-z0-9_]{1,248}$")]
    private static partial Regex CustomProperty();

    // [object-type:property.path = 'string'] joined by AND; strings escape only \\ and \'
    [GeneratedRegex(@"^\[(?:[a-z0-9-]{3,250}:[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)* = '(?:[^'\\]|\\['\\])*')(?: AND [a-z0-9-]{3,250}:[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)* = '(?:[^'\\]|\\['\\])*')*\]$")]
    private static partial Regex Pattern();

    public static List<string> Problems(JsonNode document)
    {
        var problems = new List<string>();
        if (document["type"]?.GetValue<string>() != "bundle")
        {
            problems.Add("type is not 'bundle'");
        }

        if (document["id"]?.GetValue<string>() is not { } bundleId || !Identifier().IsMatch(bundleId) || !bundleId.StartsWith("bundle--", StringComparison.Ordinal))
        {
            problems.Add("the bundle id is not bundle--UUID");
        }

        if (document["spec_version"] is not null)
        {
            problems.Add("a 2.1 bundle has no spec_version");
        }

        if (document["objects"] is not JsonArray objects)
        {
            problems.Add("objects is not an array");
            return problems;
        }

        var byId = new Dictionary<string, JsonObject>();
        foreach (var node in objects)
        {
            if (node is not JsonObject o || o["id"]?.GetValue<string>() is not { } id)
            {
                problems.Add("an object has no id");
                continue;
            }

            if (!byId.TryAdd(id, o))
            {
                problems.Add($"{id} appears twice");
            }
        }

        foreach (var (id, o) in byId)
        {
            var type = o["type"]?.GetValue<string>() ?? "";
            if (!TypeName().IsMatch(type) || !Identifier().IsMatch(id) || !id.StartsWith(type + "--", StringComparison.Ordinal))
            {
                problems.Add($"{id}: type '{type}' and id do not agree or are malformed");
            }

            if (o["spec_version"]?.GetValue<string>() != "2.1")
            {
                problems.Add($"{id}: spec_version is not 2.1");
            }

            foreach (var name in new[] { "created", "modified", "valid_from", "valid_until" })
            {
                if (o[name] is { } t && !Timestamp().IsMatch(t.GetValue<string>()))
                {
                    problems.Add($"{id}: {name} is not a STIX timestamp");
                }
            }

            if (o["created"] is null || (type != "marking-definition" && o["modified"] is null))
            {
                problems.Add($"{id}: created or modified missing");
            }
            else if (o["modified"] is { } m && string.CompareOrdinal(m.GetValue<string>(), o["created"]!.GetValue<string>()) < 0)
            {
                problems.Add($"{id}: modified is before created");
            }

            foreach (var (name, _) in o)
            {
                if (!CommonProperties.Contains(name) && !(Properties.TryGetValue(type, out var own) && own.Contains(name)) && !CustomProperty().IsMatch(name))
                {
                    problems.Add($"{id}: '{name}' is neither a {type} property nor a custom x_ property");
                }
            }

            if (o["created_by_ref"] is { } creator && !(byId.TryGetValue(creator.GetValue<string>(), out var identity) && identity["type"]?.GetValue<string>() == "identity"))
            {
                problems.Add($"{id}: created_by_ref does not name an identity in the bundle");
            }

            foreach (var marking in o["object_marking_refs"]?.AsArray() ?? [])
            {
                if (!byId.TryGetValue(marking!.GetValue<string>(), out var definition) || definition["type"]?.GetValue<string>() != "marking-definition")
                {
                    problems.Add($"{id}: a marking reference does not resolve in the bundle");
                }
            }

            switch (type)
            {
                case "indicator":
                    if (o["pattern"]?.GetValue<string>() is not { } pattern || !Pattern().IsMatch(pattern))
                    {
                        problems.Add($"{id}: pattern '{o["pattern"]}' is not a STIX comparison expression");
                    }

                    if (o["pattern_type"]?.GetValue<string>() != "stix" || o["valid_from"] is null || o["indicator_types"] is not JsonArray { Count: > 0 })
                    {
                        problems.Add($"{id}: pattern_type, valid_from or indicator_types missing");
                    }

                    break;
                case "marking-definition":
                    var tlp = o["definition"]?["tlp"]?.GetValue<string>();
                    if (o["definition_type"]?.GetValue<string>() != "tlp" || !TlpIds.TryGetValue(id, out var level) || level != tlp
                        || o["name"]?.GetValue<string>() != "TLP:" + tlp!.ToUpperInvariant())
                    {
                        problems.Add($"{id}: not one of the TLP marking definitions STIX 2.1 fixes");
                    }

                    break;
                case "identity":
                    if (o["name"] is null)
                    {
                        problems.Add($"{id}: an identity needs a name");
                    }

                    break;
            }
        }

        return problems;
    }
}
