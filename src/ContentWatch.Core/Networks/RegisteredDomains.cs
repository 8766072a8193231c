using System.Collections.Frozen;

namespace ContentWatch.Core.Networks;

/// <summary>
/// The registered domain of a host (<c>shop.example.co.uk</c> → <c>example.co.uk</c>) by the Public Suffix List
/// shipped in the assembly, with its wildcard and exception rules. Hosts are ASCII (IDN as punycode), lower case.
/// </summary>
public static class RegisteredDomains
{
    private static readonly Lazy<(FrozenSet<string> Rules, FrozenSet<string> Wildcards, FrozenSet<string> Exceptions)> List = new(Load);

    /// <summary>The registered domain (one label more than the longest public suffix), or null for a bare suffix or a host with an unknown top-level domain.</summary>
    public static string? Of(string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        if (host.Length is 0 or > 253 || !host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        var (rules, wildcards, exceptions) = List.Value;
        var labels = host.Split('.');
        if (!rules.Contains(labels[^1]) && !wildcards.Contains(labels[^1]))
        {
            return null;
        }

        // The longest matching suffix, as a count of labels.
        var suffixLabels = 1;
        for (var n = labels.Length; n >= 1; n--)
        {
            var candidate = string.Join('.', labels[^n..]);
            if (exceptions.Contains(candidate))
            {
                suffixLabels = n - 1;
                break;
            }

            var parent = n > 1 ? string.Join('.', labels[^(n - 1)..]) : null;
            if (rules.Contains(candidate) || (parent is not null && wildcards.Contains(parent)))
            {
                suffixLabels = n;
                break;
            }
        }

        return suffixLabels >= labels.Length ? null : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// <summary>True when <paramref name="label"/> is a top-level domain the list knows.</summary>
    public static bool IsKnownTopLevel(ReadOnlySpan<char> label)
    {
        var (rules, wildcards, _) = List.Value;
        var lower = label.ToString().ToLowerInvariant();
        return rules.Contains(lower) || wildcards.Contains(lower);
    }

    private static (FrozenSet<string>, FrozenSet<string>, FrozenSet<string>) Load()
    {
        using var stream = typeof(RegisteredDomains).Assembly.GetManifestResourceStream("ContentWatch.Core.Networks.public_suffix_list.dat")
            ?? throw new InvalidOperationException("The Public Suffix List is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var rule = line.Trim();
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            rule = ToAscii(rule);
            if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards.Add(rule[2..]);
            }
            else if (rule.StartsWith('!'))
            {
                exceptions.Add(rule[1..]);
            }
            else
            {
                rules.Add(rule);
            }
        }

        return (rules.ToFrozenSet(), wildcards.ToFrozenSet(), exceptions.ToFrozenSet());
    }

    private static readonly System.Globalization.IdnMapping Idn = new();

    private static string ToAscii(string rule)
    {
        var prefix = rule.StartsWith("*.", StringComparison.Ordinal) ? "*." : rule.StartsWith('!') ? "!" : "";
        var name = rule[prefix.Length..];
        return prefix + (name.All(char.IsAscii) ? name : Idn.GetAscii(name)).ToLowerInvariant();
    }
}
