using System.Text.RegularExpressions;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier;

/// <summary>
/// Finds evidence in the original text. Indicators (phone, price, URL, e-mail, handle, messaging app) are matched by
/// <see cref="TextNormalizer"/>'s patterns on the lower-cased original, terms as whole words in it. What is not found
/// that way (obfuscated, emoji, homoglyphs, diacritics) is found by normalising each whitespace-separated piece of the
/// original (and each run of spaced single letters, "w h a t s a p p") on its own and comparing words. Every span is a
/// range of the original string; a term that cannot be found gets no span.
/// </summary>
internal static class EvidenceLocator
{
    public const int MaxSpansPerReason = 3;

    public static IReadOnlyList<EvidenceSpan> Locate(string original, IReadOnlyList<string> indicators, IReadOnlyList<string> terms)
    {
        var spans = new List<EvidenceSpan>();
        var lower = original.ToLowerInvariant();
        if (lower.Length != original.Length)
        {
            lower = original;
        }

        foreach (var indicator in indicators)
        {
            var regex = indicator switch
            {
                "phone_number" => TextNormalizer.PhoneRegex(),
                "price" => TextNormalizer.PriceRegex(),
                "url" => TextNormalizer.UrlRegex(),
                "email" => TextNormalizer.EmailRegex(),
                "handle" => TextNormalizer.HandleRegex(),
                _ => null,
            };
            if (regex is null)
            {
                continue;
            }

            AddPlain(spans, lower, regex, indicator);
        }

        // Plain occurrences first (cheap); the per-piece normalisation only when something was not found that way.
        List<(string Word, int Start, int End)>? words = null;
        if (indicators.Contains("messaging_app") && AddPlain(spans, lower, TextNormalizer.MessagingRegex(), "messaging_app") == 0)
        {
            words ??= OriginalWords(original);
            spans.AddRange(words.Where(w => TextNormalizer.MessagingRegex().IsMatch(w.Word)).DistinctBy(w => w.Start)
                .Take(MaxSpansPerReason).Select(w => new EvidenceSpan(w.Start, w.End - w.Start, "messaging_app")));
        }

        foreach (var term in terms)
        {
            if (AddPlain(spans, lower, term) > 0)
            {
                continue;
            }

            words ??= OriginalWords(original);
            var parts = term.Split(' ');
            var found = 0;
            for (var i = 0; i + parts.Length <= words.Count && found < MaxSpansPerReason; i++)
            {
                if (words[i].Word == parts[0] && (parts.Length == 1 || words[i + 1].Word == parts[1]))
                {
                    var last = words[i + parts.Length - 1];
                    var span = new EvidenceSpan(words[i].Start, Math.Max(last.End, words[i].End) - words[i].Start, term);
                    if (!spans.Contains(span))
                    {
                        spans.Add(span);
                        found++;
                    }
                }
            }
        }

        return spans.OrderBy(s => s.Start).ThenBy(s => s.Length).ToList();
    }

    /// <summary>Adds spans where <paramref name="term"/> occurs in <paramref name="lower"/> as a whole word; returns how many.</summary>
    private static int AddPlain(List<EvidenceSpan> spans, string lower, string term)
    {
        var found = 0;
        var from = 0;
        while (found < MaxSpansPerReason && from < lower.Length)
        {
            var at = lower.IndexOf(term, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            var end = at + term.Length;
            if ((at == 0 || !char.IsLetterOrDigit(lower[at - 1])) && (end == lower.Length || !char.IsLetterOrDigit(lower[end])))
            {
                spans.Add(new EvidenceSpan(at, term.Length, term));
                found++;
            }

            from = at + 1;
        }

        return found;
    }

    private static int AddPlain(List<EvidenceSpan> spans, string lower, Regex regex, string reason)
    {
        var found = 0;
        foreach (var match in regex.Matches(lower).Take(MaxSpansPerReason))
        {
            spans.Add(new EvidenceSpan(match.Index, match.Length, reason));
            found++;
        }

        return found;
    }

    /// <summary>
    /// The normalised words of <paramref name="original"/>, each with the range of the piece of original text it came
    /// from (a piece is a whitespace-separated run, or a run of three or more single-letter pieces).
    /// </summary>
    internal static List<(string Word, int Start, int End)> OriginalWords(string original)
    {
        var pieces = new List<(int Start, int End)>();
        var i = 0;
        while (i < original.Length)
        {
            while (i < original.Length && char.IsWhiteSpace(original[i]))
            {
                i++;
            }

            var start = i;
            while (i < original.Length && !char.IsWhiteSpace(original[i]))
            {
                i++;
            }

            if (i > start)
            {
                pieces.Add((start, i));
            }
        }

        var words = new List<(string, int, int)>();
        var p = 0;
        while (p < pieces.Count)
        {
            var q = p;
            while (q < pieces.Count && pieces[q].End - pieces[q].Start == 1 && char.IsLetter(original[pieces[q].Start]))
            {
                q++;
            }

            var (start, end) = q - p >= 3 ? (pieces[p].Start, pieces[q - 1].End) : pieces[p];
            p = q - p >= 3 ? q : p + 1;
            (start, end) = Trim(original, start, end);
            var normalized = TextNormalizer.NormalizeWords(original[start..end]);
            foreach (var (s, e) in EvidenceBuilder.WordRanges(normalized))
            {
                words.Add((normalized[s..e], start, end));
            }
        }

        return words;
    }

    /// <summary>Drops surrounding ASCII punctuation so "UK!" highlights as "UK"; never trims to nothing.</summary>
    private static (int Start, int End) Trim(string text, int start, int end)
    {
        var s = start;
        var e = end;
        while (s < e - 1 && IsTrimmable(text[s]))
        {
            s++;
        }

        while (e > s + 1 && IsTrimmable(text[e - 1]))
        {
            e--;
        }

        return (s, e);
    }

    private static bool IsTrimmable(char c) => c is '.' or ',' or ';' or ':' or '!' or '?' or '(' or ')' or '"' or '\'' or '[' or ']';
}
