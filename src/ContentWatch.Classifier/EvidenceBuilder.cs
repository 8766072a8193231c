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
        var trace = new List<FeatureOccurrence>(normalized.Length * 8);
        Featurizer.Trace(normalized, trace);

        // A feature's value is tf(count) × idf × the block's scale 1/‖tf × idf‖₂, so each occurrence carries
        // scale × idf × its tf step × Δweight.
        // previous[i]: how often occurrence i's feature occurred before it.
        var previous = new int[trace.Count];
        if (!CountWithTable(trace, previous))
        {
            // More distinct features than the table holds (a very long text): count in a dictionary instead.
            var counts = new Dictionary<int, int>();
            for (var i = 0; i < trace.Count; i++)
            {
                previous[i] = counts.GetValueOrDefault(trace[i].Index);
                counts[trace[i].Index] = previous[i] + 1;
            }
        }

        var idf = model.Idf;
        Span<double> sumSquares = stackalloc double[3];
        sumSquares.Clear();
        for (var i = 0; i < trace.Count; i++)
        {
            var index = trace[i].Index;
            sumSquares[index >> Featurizer.BlockBits] += (double)idf[index] * idf[index] * Featurizer.SquareStep(previous[i]);
        }

        Span<double> scale = stackalloc double[3];
        for (var b = 0; b < 3; b++)
        {
            scale[b] = sumSquares[b] > 0 ? 1.0 / Math.Sqrt(sumSquares[b]) : 0;
        }

        // Sum contributions per word (its unigram, char n-grams and sub-words) and per adjacent word pair (bigram).
        var words = WordRanges(normalized);
        var perWord = new double[words.Count];
        var perPair = new double[words.Count]; // pair ending at word w
        var current = -1;
        for (var i = 0; i < trace.Count; i++)
        {
            var o = trace[i];
            // The trace is in text order, word by word: a word's own features, then the bigram ending at it.
            while (current + 1 < words.Count && words[current + 1].Start <= o.Start && o.Kind != FeatureKind.WordBigram)
            {
                current++;
            }

            var contribution = scale[o.Index >> Featurizer.BlockBits] * idf[o.Index] * Featurizer.Step(previous[i])
                * (model.Weight(o.Index, harmfulClass) - model.Weight(o.Index, benignClass));
            if (o.Kind == FeatureKind.WordBigram)
            {
                perPair[current] += contribution;
            }
            else
            {
                perWord[current] += contribution;
            }
        }

        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var w = 0; w < words.Count; w++)
        {
            var word = normalized[words[w].Start..words[w].End];
            if (word.StartsWith("cw_", StringComparison.Ordinal))
            {
                continue;
            }

            totals[word] = totals.GetValueOrDefault(word) + perWord[w];
            if (w > 0 && perPair[w] > 0 && !normalized.AsSpan(words[w - 1].Start).StartsWith("cw_", StringComparison.Ordinal))
            {
                var pair = normalized[words[w - 1].Start..words[w - 1].End] + " " + word;
                totals[pair] = totals.GetValueOrDefault(pair) + perPair[w];
            }
        }

        var terms = totals.Where(t => t.Value > 0).OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Take(MaxTerms).Select(t => new EvidenceTerm(t.Key, Math.Round(t.Value, 4))).ToList();
        var indicators = Indicators(normalized);
        var spans = EvidenceLocator.Locate(original, indicators, terms.Select(t => t.Term).ToList());
        return new Evidence(indicators, terms, spans);
    }

    /// <summary>Fills each occurrence's earlier count with the per-thread count table; false when it overflows.</summary>
    private static bool CountWithTable(List<FeatureOccurrence> trace, int[] previous)
    {
        var table = CountTable.ForThisThread();
        table.Reset();
        for (var i = 0; i < trace.Count; i++)
        {
            previous[i] = table.Increment(trace[i].Index);
            if (previous[i] < 0)
            {
                return false;
            }
        }

        return true;
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
}
