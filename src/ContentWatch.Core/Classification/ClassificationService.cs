using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Classification;

/// <summary>
/// Claims pending items in batches, classifies them and stores the verdicts; identifies the language of items whose
/// report gave none. The verdict's label follows the review threshold in force (a configured one included): benign
/// below it, the most probable harmful label at or above it. An item that shares an indicator on the watchlist goes to
/// review whatever its score, with the watchlist entries in its evidence (<see cref="NetworkAnalyser"/>).
/// </summary>
public sealed class ClassificationService(
    IClassificationStore store,
    ITextClassifier classifier,
    ILanguageIdentifier languages,
    NetworkAnalyser networks,
    IOptions<ClassificationOptions> options,
    TimeProvider time,
    ContentWatchMetrics metrics,
    ILogger<ClassificationService> logger)
{
    public double ReviewThreshold => options.Value.ReviewThreshold ?? classifier.ReviewThreshold;

    /// <summary>Classifies batches until nothing is pending or <paramref name="maxBatches"/> is reached. Returns the number classified.</summary>
    public async Task<int> ClassifyPendingAsync(int maxBatches, CancellationToken cancellationToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.ClaimLeaseSeconds);
        var total = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var started = time.GetTimestamp();
            var items = await store.ClaimPendingAsync(options.Value.BatchSize, lease, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }

            var predictions = classifier.ClassifyBatch([.. items.Select(i => new ClassifierInput(i.Text, i.Title, i.Kind, i.Language))]);
            var analyses = await networks.AnalyseAsync([.. items.Select(i => (i.Id, i.Title, i.Text))], cancellationToken);
            var now = time.GetUtcNow();
            var threshold = ReviewThreshold;
            var results = new ClassifiedItem[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var p = predictions[i];
                var hits = analyses[items[i].Id].Hits;
                var watched = hits.Count > 0 && p.Score < threshold;
                var evidence = hits.Count == 0 ? p.Evidence : (p.Evidence ?? Evidence.None) with { Watchlist = hits };
                var label = Labels.ForScore(p.Score, p.Scores, watched ? 0 : threshold);
                var verdict = new Verdict(label, p.Score, p.Scores, classifier.ModelVersion, now, evidence);
                var language = items[i].Language is null
                    ? analyses[items[i].Id].Language ?? languages.Identify(string.IsNullOrWhiteSpace(items[i].Title) ? items[i].Text : items[i].Title + "\n" + items[i].Text)
                    : null;
                results[i] = new ClassifiedItem(items[i].Id, verdict, p.Score >= threshold || watched ? ItemStatus.InReview : ItemStatus.Dismissed, language);
            }

            await store.SaveVerdictsAsync(results, cancellationToken);
            total += items.Count;
            var flagged = results.Count(r => r.Status == ItemStatus.InReview);
            metrics.Classified(flagged, results.Length - flagged, time.GetElapsedTime(started));
            logger.LogInformation("Classified a batch of {Count} items with {Model}; {Flagged} flagged for review, {Watched} of them by the watchlist",
                items.Count, classifier.ModelVersion, flagged, results.Count(r => r.Verdict.Evidence?.Watchlist is { Count: > 0 }));
            LogVerdicts(results);
        }

        return total;
    }

    /// <summary>Each verdict at Debug, in the scope of its item (never its text).</summary>
    private void LogVerdicts(ClassifiedItem[] results)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        foreach (var result in results)
        {
            using var scope = logger.BeginScope("Item {ItemId}", result.ItemId);
            logger.LogDebug("Verdict {Label} ({Score:F3}) by {Model}; item {Status}", result.Verdict.Label, result.Verdict.Score, result.Verdict.Model, result.Status);
        }
    }
}
