using System.Buffers;
using System.Runtime.InteropServices;
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
        var concepts = ConceptLexicon.ConceptsIn(normalized);
        return indicators.Count == 0 && concepts.Count == 0 ? Evidence.None
            : new Evidence(indicators, [], [], concepts.Count == 0 ? null : concepts);
    }

    /// <param name="original">The text as the item has it (title + newline + text when there is a title).</param>
    /// <param name="normalized"><paramref name="original"/> after <see cref="TextNormalizer.Normalize"/>.</param>
    /// <param name="model">The model.</param>
    /// <param name="harmfulClass">Class index of the label being explained.</param>
    /// <param name="benignClass">Class index of benign.</param>
    public static Evidence Explain(string original, string normalized, LinearModel model, int harmfulClass, int benignClass)
    {
        // Walks the words as FeatureHasher.Trace does (a word's own features, then the bigram ending at it), reading each
        // feature's row from the model's word cache. A feature's value is tf(count) × idf × the block's scale
        // 1/‖tf × idf‖₂, so each occurrence carries scale × idf × its tf step × Δweight; the scale is known only
        // after the walk, so each occurrence's other factors are kept until then.
        var words = WordRanges(normalized);
        var occurrences = ArrayPool<Occurrence>.Shared.Rent(Math.Max(64, normalized.Length * 8));
        var count = 0;
        try
        {
            var table = CountTable.ForThisThread();
            table.Reset();
            Dictionary<int, int>? counts = null;
            var stride = model.Classes + 1;
            Span<double> sumSquares = stackalloc double[FeatureHasher.Blocks];
            sumSquares.Clear();
            var previousHash = 0UL;
            for (var w = 0; w < words.Count; w++)
            {
                var word = model.Word(normalized.AsSpan(words[w].Start, words[w].End - words[w].Start));
                FeatureHasher.EnsureRented(ref occurrences, count, count + word.Ids.Length + 1);

                for (var j = 0; j < word.Ids.Length; j++)
                {
                    occurrences[count++] = Occurrence.Of(model.Vocabulary.BlockOf(word.Ids[j]), word.Rows.AsSpan(j * stride, stride), w, pair: false,
                        Previous(table, ref counts, word.Ids[j]), harmfulClass, benignClass, sumSquares);
                }

                if (w > 0 && model.Bigram(previousHash, word.Hash) is var bigram and >= 0)
                {
                    occurrences[count++] = Occurrence.Of(FeatureHasher.WordBlock, model.Row(bigram), w, pair: true,
                        Previous(table, ref counts, bigram), harmfulClass, benignClass, sumSquares);
                }

                previousHash = word.Hash;
            }

            Span<double> scale = stackalloc double[FeatureHasher.Blocks];
            for (var b = 0; b < FeatureHasher.Blocks; b++)
            {
                scale[b] = sumSquares[b] > 0 ? 1.0 / Math.Sqrt(sumSquares[b]) : 0;
            }

            // Sum contributions per word (its unigram, char n-grams and sub-words) and per adjacent word pair (bigram).
            var perWord = new double[words.Count];
            var perPair = new double[words.Count]; // pair ending at word w
            foreach (ref readonly var o in occurrences.AsSpan(0, count))
            {
                var contribution = scale[o.Block] * o.Idf * o.Step * o.Delta;
                if (o.Pair)
                {
                    perPair[o.Word] += contribution;
                }
                else
                {
                    perWord[o.Word] += contribution;
                }
            }

            return Explain(original, normalized, words, perWord, perPair);
        }
        finally
        {
            ArrayPool<Occurrence>.Shared.Return(occurrences);
        }
    }

    /// <summary>How often <paramref name="id"/> occurred before: the per-thread count table, or a dictionary once it overflows.</summary>
    private static int Previous(CountTable table, ref Dictionary<int, int>? counts, int id)
    {
        if (counts is null)
        {
            var previous = table.Increment(id);
            if (previous >= 0)
            {
                return previous;
            }

            // More distinct features than the table holds (a very long text): go on counting in a dictionary.
            counts = table.ToDictionary();
        }

        var before = counts.GetValueOrDefault(id);
        counts[id] = before + 1;
        return before;
    }

    /// <summary>Sums the contributions per word and word pair (by text) and keeps the strongest positive ones as terms.</summary>
    private static Evidence Explain(string original, string normalized, List<(int Start, int End)> words, double[] perWord, double[] perPair)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var totalsBySpan = totals.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var w = 0; w < words.Count; w++)
        {
            var word = normalized.AsSpan(words[w].Start, words[w].End - words[w].Start);
            if (word.StartsWith("cw_", StringComparison.Ordinal))
            {
                continue;
            }

            CollectionsMarshal.GetValueRefOrAddDefault(totalsBySpan, word, out _) += perWord[w];
            if (w > 0 && perPair[w] > 0 && !normalized.AsSpan(words[w - 1].Start).StartsWith("cw_", StringComparison.Ordinal))
            {
                var pair = string.Concat(normalized.AsSpan(words[w - 1].Start, words[w - 1].End - words[w - 1].Start), " ", word);
                CollectionsMarshal.GetValueRefOrAddDefault(totals, pair, out _) += perPair[w];
            }
        }

        // Strongest first, ties by text (keys are distinct, so the order is total).
        var positive = new List<KeyValuePair<string, double>>();
        foreach (var total in totals)
        {
            if (total.Value > 0)
            {
                positive.Add(total);
            }
        }

        positive.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var terms = new List<EvidenceTerm>(Math.Min(MaxTerms, positive.Count));
        var termTexts = new List<string>(terms.Capacity);
        for (var t = 0; t < positive.Count && t < MaxTerms; t++)
        {
            terms.Add(new EvidenceTerm(positive[t].Key, Math.Round(positive[t].Value, 4)));
            termTexts.Add(positive[t].Key);
        }

        var indicators = Indicators(normalized);
        var spans = EvidenceLocator.Locate(original, indicators, termTexts);
        var concepts = ConceptLexicon.ConceptsIn(normalized);
        return new Evidence(indicators, terms, spans, concepts.Count == 0 ? null : concepts);
    }

    /// <summary>Start and end of each word of <paramref name="text"/> as <see cref="FeatureHasher"/> splits words.</summary>
    internal static List<(int Start, int End)> WordRanges(string text)
    {
        var ranges = new List<(int, int)>(text.Length / 4 + 4);
        var i = 0;
        while (FeatureHasher.NextWord(text, ref i, out var start))
        {
            ranges.Add((start, i));
        }

        return ranges;
    }

    /// <summary>One feature occurrence with what its contribution needs besides the block's scale.</summary>
    private readonly record struct Occurrence(int Word, bool Pair, byte Block, float Idf, double Step, float Delta)
    {
        /// <summary>The occurrence of a feature of <paramref name="block"/> with row <paramref name="row"/>; adds its squared-value growth to <paramref name="sumSquares"/>.</summary>
        public static Occurrence Of(int block, ReadOnlySpan<float> row, int word, bool pair, int previous, int harmfulClass, int benignClass,
            Span<double> sumSquares)
        {
            var idf = row[^1];
            sumSquares[block] += (double)idf * idf * FeatureHasher.SquareStep(previous);
            return new Occurrence(word, pair, (byte)block, idf, FeatureHasher.Step(previous), row[harmfulClass] - row[benignClass]);
        }
    }
}
