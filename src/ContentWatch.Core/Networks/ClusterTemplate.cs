using System.Globalization;

namespace ContentWatch.Core.Networks;

/// <summary>A slot of a cluster's template: what kind of thing varies there, and the values seen.</summary>
public sealed record TemplateSlot(string Name, string Kind, IReadOnlyList<string> Values);

/// <summary>The words every member shares, with <c>{slot}</c> where they differ, and the slots.</summary>
public sealed record ClusterTemplate(string Text, IReadOnlyList<TemplateSlot> Slots)
{
    /// <summary>Members and words read: the template of a large cluster comes from its first members.</summary>
    public const int MaxMembers = 20;
    public const int MaxTokens = 300;
    public const int MaxValues = 20;
    public const int MaxValueLength = 100;

    private static readonly string[] Currencies =
        ["€", "$", "£", "¥", "₺", "₽", "eur", "euro", "usd", "dollar", "gbp", "pound", "lira", "tl", "dinar", "dirham", "riyal", "rial", "دينار", "درهم", "ريال", "دولار", "يورو", "تومان"];

    private static readonly string[] Months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "janv", "févr", "avr", "mai", "juin", "juil", "août", "sept", "déc"];

    /// <summary>Words before a place name on a route ("from Calais", "to Dover", "via Libya").</summary>
    private static readonly string[] RouteWords =
        ["from", "to", "via", "in", "at", "de", "à", "vers", "par", "desde", "hasta", "nach", "von", "über", "da", "per", "من", "إلى", "الى", "عبر", "في", "از", "به"];

    /// <summary>
    /// Aligns each member's words with the first member's (longest common subsequence) and keeps the words all share;
    /// the runs between them are slots, typed by what their values look like: phone, email, url, handle (found by
    /// <paramref name="extractor"/>), price, date, number, place (a capitalised name after a route word) or text.
    /// </summary>
    public static ClusterTemplate From(IReadOnlyList<string> texts, IndicatorExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var members = texts.Take(MaxMembers).Select(Tokens).ToList();
        if (members.Count == 0)
        {
            return new ClusterTemplate("", []);
        }

        var baseTokens = members[0];
        var alignments = members.Select(m => Align(baseTokens, m)).ToList();
        var common = Enumerable.Range(0, baseTokens.Length).Where(b => alignments.All(a => a[b] >= 0)).ToList();

        var parts = new List<string>();
        var slots = new List<TemplateSlot>();
        for (var k = 0; k <= common.Count; k++)
        {
            var values = new List<string>();
            for (var m = 0; m < members.Count; m++)
            {
                var from = k == 0 ? 0 : alignments[m][common[k - 1]] + 1;
                var to = k == common.Count ? members[m].Length : alignments[m][common[k]];
                values.Add(string.Join(' ', members[m][from..Math.Max(from, to)]));
            }

            if (values.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                var before = k == 0 ? null : baseTokens[common[k - 1]];
                var kind = Kind(values.Where(v => v.Length > 0).ToList(), before, extractor);
                var name = $"{kind}{slots.Count(s => s.Kind == kind) + 1}";
                slots.Add(new TemplateSlot(name, kind, [.. values.Distinct(StringComparer.Ordinal).Take(MaxValues).Select(Cut)]));
                parts.Add("{" + name + "}");
            }
            else if (values[0].Length > 0)
            {
                parts.Add(values[0]);
            }

            if (k < common.Count)
            {
                parts.Add(baseTokens[common[k]]);
            }
        }

        return new ClusterTemplate(string.Join(' ', parts), slots);
    }

    private static string Cut(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength] + "…";

    private static string[] Tokens(string text) =>
        text.Split((char[]?)null, MaxTokens + 1, StringSplitOptions.RemoveEmptyEntries).Take(MaxTokens).ToArray();

    /// <summary>For each token of <paramref name="a"/>, the index of the token of <paramref name="b"/> it is aligned with, or −1.</summary>
    private static int[] Align(string[] a, string[] b)
    {
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var aligned = new int[a.Length];
        Array.Fill(aligned, -1);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                aligned[x++] = y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                x++;
            }
            else
            {
                y++;
            }
        }

        return aligned;
    }

    private static string Kind(List<string> values, string? before, IndicatorExtractor extractor)
    {
        if (values.Count == 0)
        {
            return "text";
        }

        var types = values.Select(v => extractor.Extract(v).Select(m => m.Type).FirstOrDefault()).ToList();
        if (types.All(t => t == IndicatorTypes.Phone))
        {
            return "phone";
        }

        if (types.All(t => t is not null))
        {
            return types[0] switch
            {
                IndicatorTypes.Email => "email",
                IndicatorTypes.Url or IndicatorTypes.Domain => "url",
                _ => "handle",
            };
        }

        var lower = values.Select(v => v.ToLowerInvariant()).ToList();
        if (lower.All(v => v.Any(char.IsDigit) && Currencies.Any(c => v.Contains(c, StringComparison.Ordinal))))
        {
            return "price";
        }

        if (lower.All(v => IsDate(v)))
        {
            return "date";
        }

        if (lower.All(v => v.Any(char.IsDigit)))
        {
            return "number";
        }

        if (before is not null && RouteWords.Contains(before.ToLowerInvariant()) && values.All(v => v.Split(' ').Length <= 3 && !char.IsLower(v[0])))
        {
            return "place";
        }

        return "text";
    }

    private static bool IsDate(string value) =>
        (value.Count(char.IsDigit) >= 3 && value.Any(c => c is '/' or '-' or '.') && value.All(c => char.IsDigit(c) || c is '/' or '-' or '.' or ',' or ' '))
        || (value.Any(char.IsDigit) && Months.Any(m => value.Contains(m, StringComparison.Ordinal)))
        || DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
