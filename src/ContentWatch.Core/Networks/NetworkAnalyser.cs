using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Networks;

/// <summary>
/// Finds an item's indicators and MinHash signature and has them stored: the watchlist hits and the cluster come back.
/// Runs in the classification pass, before the verdict is written, so no item reaches review or is dismissed without
/// its indicators; a batch run again after a crash stores the same.
/// </summary>
public sealed class NetworkAnalyser(INetworkStore store, IndicatorExtractor extractor, IOptions<ClusteringOptions> options)
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
        var results = await store.SaveAnalysisAsync(analyses, options.Value.Threshold, cancellationToken);
        return results.ToDictionary(r => r.ItemId);
    }
}
