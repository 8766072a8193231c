using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier;

/// <summary>
/// Explains a linear-model prediction. Every feature occurrence contributes <c>value × (w[label] − w[benign])</c> to the
/// log-odds of the predicted harmful label against benign; contributions of word uni/bigrams, of the character n-grams
/// inside a word and of the sub-word tokens inside it are summed per word (or word pair), and the strongest positive
/// ones become <see cref="Evidence.Terms"/>. Spans are found by matching terms and indicators against the original
/// text (<see cref="EvidenceLocator"/>), so they are always valid ranges of it.
/// </summary>
internal static class EvidenceBuilder
{
    public const int MaxTerms = 8;

    private static readonly (string Token, string Name)[] IndicatorTokens =
    [
        (TextNormalizer.PhoneToken, "phone_number"),
        (TextNormalizer.MessagingToken, "messaging_app"),
        (TextNormalizer.HandleToken, "handle"),
        (TextNormalizer.EmailToken, "email"),
        (TextNormalizer.PriceToken, "price"),
        (TextNormalizer.UrlToken, "url"),
    ];

    /// <summary>Indicator names found in <paramref name="normalized"/> (from the tokens <see cref="TextNormalizer"/> appends).</summary>
    public static IReadOnlyList<string> Indicators(string normalized)
    {
        List<string>? found = null;
        foreach (var (token, name) in IndicatorTokens)
        {
            if (normalized.Contains(token, StringComparison.Ordinal))
            {
                (found ??= []).Add(name);
            }
        }

        return found ?? (IReadOnlyList<string>)[];
    }

    public static Evidence IndicatorsOnly(string normalized)
    {
        var indicators = Indicators(normalized);
        return indicators.Count == 0 ? Evidence.None : new Evidence(indicators, [], []);
    }

    /// <param name="original">The text as the item has it (title + newline + text when there is a title).</param>
    /// <param name="normalized"><paramref name="original"/> after <see cref="TextNormalizer.Normalize"/>.</param>
    /// <param name="model">The model.</param>
    /// <param name="harmfulClass">Class index of the label being explained.</param>
    /// <param name="benignClass">Class index of benign.</param>
    public static Evidence Explain(string original, string normalized, LinearModel model, int harmfulClass, int benignClass)
    {
        var trace = new List<FeatureOccurrence>(normalized.Length * 6);
        var features = Featurizer.Featurize(normalized, trace);

        // Occurrences per feature, to split a feature's value evenly over them.
        var occurrences = new Dictionary<int, int>(trace.Count);
        foreach (var o in trace)
        {
            occurrences[o.Index] = occurrences.GetValueOrDefault(o.Index) + 1;
        }

        var words = WordRanges(normalized);
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var o in trace)
        {
            var j = Array.BinarySearch(features.Indices, o.Index);
            var delta = model.Weight(o.Index, harmfulClass) - model.Weight(o.Index, benignClass);
            var contribution = features.Values[j] / occurrences[o.Index] * delta;
            var term = o.Kind == FeatureKind.WordBigram
                ? normalized.Substring(o.Start, o.Length)
                : WordAt(normalized, words, o.Start, o.Length);
            if (term is null || term.StartsWith("cw_", StringComparison.Ordinal) || term.Contains(" cw_", StringComparison.Ordinal))
            {
                continue;
            }

            if (o.Kind == FeatureKind.WordBigram)
            {
                term = CollapseSeparators(term);
            }

            totals[term] = totals.GetValueOrDefault(term) + contribution;
        }

        var terms = totals.Where(t => t.Value > 0).OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(MaxTerms).Select(t => new EvidenceTerm(t.Key, Math.Round(t.Value, 4))).ToList();
        var indicators = Indicators(normalized);
        var spans = EvidenceLocator.Locate(original, indicators, terms.Select(t => t.Term).ToList());
        return new Evidence(indicators, terms, spans);
    }

    /// <summary>Start and end of each word of <paramref name="text"/> as <see cref="Featurizer"/> splits words.</summary>
    internal static List<(int Start, int End)> WordRanges(string text)
    {
        var ranges = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && Featurizer.IsWordSeparator(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !Featurizer.IsWordSeparator(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                ranges.Add((start, i));
            }
        }

        return ranges;
    }

    /// <summary>The word that the range [start, start+length) mostly falls in: the first word overlapping it.</summary>
    private static string? WordAt(string text, List<(int Start, int End)> words, int start, int length)
    {
        var end = start + Math.Max(length, 1);
        var lo = 0;
        var hi = words.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (words[mid].End <= start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo < words.Count && words[lo].Start < end ? text[words[lo].Start..words[lo].End] : null;
    }

    private static string CollapseSeparators(string bigram)
    {
        var words = WordRanges(bigram);
        return words.Count == 2 ? bigram[words[0].Start..words[0].End] + " " + bigram[words[1].Start..words[1].End] : bigram;
    }
}
