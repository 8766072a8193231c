using System.Globalization;
using ContentWatch.Core.Classification;

namespace ContentWatch.Web.Desk;

/// <summary>A run of reported text; <see cref="Reason"/> is set when the run is evidence to highlight.</summary>
public sealed record TextSegment(string Text, string? Reason)
{
    /// <summary>Indicators written left to right whatever the text around them (a phone number in Arabic text).</summary>
    public static readonly IReadOnlySet<string> LeftToRightReasons = new HashSet<string>(StringComparer.Ordinal) { "phone_number", "email", "url", "handle" };

    /// <summary>The run is such an indicator: the page isolates it (<c>&lt;bdi dir="ltr"&gt;</c>) so it does not read reversed.</summary>
    public bool LeftToRight => Reason is not null && Reason.Split(", ").Any(LeftToRightReasons.Contains);
}

/// <summary>
/// Cuts reported text into plain and highlighted runs from the verdict's evidence spans. The page encodes each run, so
/// the highlighting never needs raw HTML. Spans out of range are clipped, a span that ends or starts inside a word is
/// widened to the whole word, overlapping ones are merged (reasons joined), and no cut splits a surrogate pair.
/// </summary>
public static class EvidenceText
{
    /// <summary>Characters of an item's text rendered on its page; the rest is left out with a note.</summary>
    public const int MaxShown = 20_000;

    public static IReadOnlyList<TextSegment> Segments(string text, IReadOnlyList<EvidenceSpan>? spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        var merged = new List<(int Start, int End, List<string> Reasons)>();
        foreach (var span in (spans ?? []).OrderBy(s => s.Start).ThenBy(s => s.Length))
        {
            var start = Align(text, WordStart(text, Math.Clamp(span.Start, 0, text.Length)));
            var end = Align(text, WordEnd(text, (int)Math.Clamp((long)span.Start + span.Length, 0, text.Length)));
            if (end <= start)
            {
                continue;
            }

            if (merged.Count > 0 && start < merged[^1].End)
            {
                var last = merged[^1];
                if (!last.Reasons.Contains(span.Reason))
                {
                    last.Reasons.Add(span.Reason);
                }

                merged[^1] = (last.Start, Math.Max(last.End, end), last.Reasons);
                continue;
            }

            merged.Add((start, end, [span.Reason]));
        }

        var segments = new List<TextSegment>();
        var at = 0;
        foreach (var (start, end, reasons) in merged)
        {
            if (start > at)
            {
                segments.Add(new TextSegment(text[at..start], null));
            }

            segments.Add(new TextSegment(text[start..end], string.Join(", ", reasons)));
            at = end;
        }

        if (at < text.Length)
        {
            segments.Add(new TextSegment(text[at..], null));
        }

        return segments;
    }

    /// <summary>Marks on a page at most, so a term found everywhere cannot swamp the text.</summary>
    public const int MaxTermMarks = 200;

    /// <summary>
    /// Spans for a verdict that recorded terms but no positions: every occurrence of each term (ignoring case), up to
    /// <see cref="MaxTermMarks"/>. Terms shorter than 3 characters are skipped; they would mark half the text.
    /// </summary>
    public static IReadOnlyList<EvidenceSpan> TermSpans(string text, IReadOnlyList<EvidenceTerm>? terms)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<EvidenceSpan>();
        foreach (var term in (terms ?? []).Select(t => t.Term.Trim()).Where(t => t.Length >= 3).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            for (var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0 && spans.Count < MaxTermMarks; at = text.IndexOf(term, at + term.Length, StringComparison.OrdinalIgnoreCase))
            {
                spans.Add(new EvidenceSpan(at, term.Length, term));
            }
        }

        return spans;
    }

    /// <summary>The first <paramref name="max"/> characters, one fewer rather than split a surrogate pair.</summary>
    public static string Bound(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : text[..Align(text, max)];
    }

    /// <summary>Moves a start that falls inside a word back to the word's first character.</summary>
    private static int WordStart(string text, int index)
    {
        while (index > 0 && index < text.Length && IsWordChar(text[index - 1]) && IsWordChar(text[index]))
        {
            index--;
        }

        return index;
    }

    /// <summary>Moves an end that falls inside a word on to the word's end.</summary>
    private static int WordEnd(string text, int index)
    {
        while (index > 0 && index < text.Length && IsWordChar(text[index - 1]) && IsWordChar(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>Letters, digits and the marks written on them (Arabic vowel signs, Devanagari matras).</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>Moves a cut that falls inside a surrogate pair to before the pair.</summary>
    private static int Align(string text, int index) =>
        index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) && char.IsHighSurrogate(text[index - 1]) ? index - 1 : index;
}
