using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Networks;

/// <summary>
/// Finds an item's indicators and MinHash signature and has them stored: the watchlist hits and the cluster come back.
/// Runs in the classification pass, before the verdict is written, so no item reaches review or is dismissed without
/// its indicators; a batch run again after a crash stores the same.
/// </summary>
public sealed class NetworkAnalyser(INetworkStore store, IndicatorExtractor extractor, IEntityRecognizer recognizer, IOptions<ClusteringOptions> options)
{
    /// <summary>What is found in an item, without storage.</summary>
    public ItemAnalysis Analyse(string itemId, string? title, string text)
    {
        var matches = extractor.Extract(text);
        var indicators = new List<Indicator>(matches.Count);
        var seen = new HashSet<Indicator>();
        foreach (var indicator in matches.Select(m => m.Indicator).Concat(string.IsNullOrEmpty(title) ? [] : extractor.Extract(title).Select(m => m.Indicator)))
        {
            if (indicators.Count < IndicatorExtractor.MaxIndicators && seen.Add(indicator))
            {
                indicators.Add(indicator);
            }
        }

        var signature = MinHasher.Signature(MinHasher.Shape(text, matches));
        return new ItemAnalysis(itemId, indicators, signature, MinHasher.BandKeys(signature, options.Value.Bands, options.Value.Rows));
    }

    /// <summary>Analyses and stores a batch; the results by item id.</summary>
    public async Task<IReadOnlyDictionary<string, AnalysisResult>> AnalyseAsync(
        IReadOnlyList<(string Id, string? Title, string Text)> items, CancellationToken cancellationToken)
    {
        var analyses = items.Select(i => Analyse(i.Id, i.Title, i.Text)).ToList();
        var enrichments = await recognizer.RecognizeAsync([.. items.Select(i => string.IsNullOrEmpty(i.Title) ? i.Text : i.Title + "\n" + i.Text)], cancellationToken);
        for (var i = 0; i < analyses.Count; i++)
        {
            var extra = enrichments[i];
            analyses[i] = analyses[i] with
            {
                Indicators = [.. analyses[i].Indicators.Concat(extra.Indicators).Distinct().Take(IndicatorExtractor.MaxIndicators)],
                Entities = extra.Entities,
            };
        }

        var results = await store.SaveAnalysisAsync(analyses, options.Value.Threshold, cancellationToken);
        return results.Select((r, i) => r with { Language = enrichments[i].Language }).ToDictionary(r => r.ItemId);
    }
}
