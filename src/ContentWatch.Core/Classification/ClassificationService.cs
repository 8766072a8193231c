using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Models;
using ContentWatch.Core.Review;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Classification;

/// <summary>
/// Claims pending items in batches, classifies them and stores the verdicts; identifies the language of items whose
/// report gave none. The verdict's label follows the review threshold in force (a configured one included): benign
/// below it, the most probable harmful label at or above it. An item that shares an indicator on the watchlist goes to
/// review whatever its score, with the watchlist entries in its evidence (<see cref="NetworkAnalyser"/>). Each batch
/// is scored by the live models as they were when it started (<see cref="ModelSelection"/>): the active model's verdict,
/// and the shadow model's beside it (one more scoring pass, scores only), which never queues anything.
/// </summary>
public sealed class ClassificationService(
    IClassificationStore store,
    ModelSelection models,
    ILanguageIdentifier languages,
    NetworkAnalyser networks,
    IOptions<ClassificationOptions> options,
    TimeProvider time,
    ContentWatchMetrics metrics,
    ILogger<ClassificationService> logger)
{
    /// <summary>The review threshold of the active model (a configured one wins).</summary>
    public double ReviewThreshold => ThresholdOf(models.Current.Active);

    /// <summary>The review threshold a model's verdicts follow (<see cref="ClassificationOptions.ThresholdOf"/>).</summary>
    public double ThresholdOf(ITextClassifier model) => options.Value.ThresholdOf(model);

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

            var results = await ClassifyClaimedAsync(items, models.Current, cancellationToken);
            total += items.Count;
            var flagged = results.Count(r => r.Status == ItemStatus.InReview);
            metrics.Classified(flagged, results.Count - flagged, time.GetElapsedTime(started));
        }

        return total;
    }

    /// <summary>Classifies items this node has claimed with <paramref name="live"/> and stores the verdicts.</summary>
    public async Task<IReadOnlyList<ClassifiedItem>> ClassifyClaimedAsync(IReadOnlyList<ItemToClassify> items, LiveModels live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(live);
        if (items.Count == 0)
        {
            return [];
        }

        var inputs = items.Select(i => new ClassifierInput(i.Text, i.Title, i.Kind, i.Language)).ToList();
        var predictions = live.Active.ClassifyBatch(inputs);
        var shadows = live.Shadow?.ScoreBatch(inputs);
        var analyses = await networks.AnalyseAsync([.. items.Select(i => (i.Id, i.Title, i.Text))], cancellationToken);
        var now = time.GetUtcNow();
        var threshold = ThresholdOf(live.Active);
        var shadowThreshold = live.Shadow is null ? 0 : ThresholdOf(live.Shadow);
        var results = new ClassifiedItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var p = predictions[i];
            var hits = analyses[items[i].Id].Hits;
            var watched = hits.Count > 0 && p.Score < threshold;
            var evidence = hits.Count == 0 ? p.Evidence : (p.Evidence ?? Evidence.None) with { Watchlist = hits };
            var label = Labels.ForScore(p.Score, p.Scores, watched ? 0 : threshold);
            var verdict = new Verdict(label, p.Score, p.Scores, live.Active.ModelVersion, now, evidence);
            var language = items[i].Language is null
                ? analyses[items[i].Id].Language ?? languages.Identify(string.IsNullOrWhiteSpace(items[i].Title) ? items[i].Text : items[i].Title + "\n" + items[i].Text)
                : null;
            var shadow = shadows is null
                ? null
                : new Models.ShadowVerdict(live.Shadow!.ModelVersion, Labels.ForScore(shadows[i].Score, shadows[i].Scores, shadowThreshold), shadows[i].Score, shadows[i].Scores, now);
            results[i] = new ClassifiedItem(items[i].Id, verdict, p.Score >= threshold || watched ? ItemStatus.InReview : ItemStatus.Dismissed, language, shadow);
        }

        await store.SaveVerdictsAsync(results, cancellationToken);
        logger.LogInformation("Classified a batch of {Count} items with {Model} (shadow {Shadow}); {Flagged} flagged for review, {Watched} of them by the watchlist",
            items.Count, live.Active.ModelVersion, live.Shadow?.ModelVersion ?? "none", results.Count(r => r.Status == ItemStatus.InReview),
            results.Count(r => r.Verdict.Evidence?.Watchlist is { Count: > 0 }));
        LogVerdicts(results);
        return results;
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
