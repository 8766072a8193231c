using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Classification;

/// <summary>
/// Claims pending items in batches, classifies them and stores the verdicts; identifies the language of items whose
/// report gave none. The verdict's label follows the review threshold in force (a configured one included): benign
/// below it, the most probable harmful label at or above it.
/// </summary>
public sealed class ClassificationService(
    IClassificationStore store,
    ITextClassifier classifier,
    ILanguageIdentifier languages,
    IOptions<ClassificationOptions> options,
    TimeProvider time,
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
            var items = await store.ClaimPendingAsync(options.Value.BatchSize, lease, cancellationToken);
            if (items.Count == 0)
            {
                break;
            }

            var predictions = classifier.ClassifyBatch([.. items.Select(i => new ClassifierInput(i.Text, i.Title, i.Kind, i.Language))]);
            var now = time.GetUtcNow();
            var threshold = ReviewThreshold;
            var results = new ClassifiedItem[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var p = predictions[i];
                var verdict = new Verdict(Labels.ForScore(p.Score, p.Scores, threshold), p.Score, p.Scores, classifier.ModelVersion, now, p.Evidence);
                var language = items[i].Language is null
                    ? languages.Identify(string.IsNullOrWhiteSpace(items[i].Title) ? items[i].Text : items[i].Title + "\n" + items[i].Text)
                    : null;
                results[i] = new ClassifiedItem(items[i].Id, verdict, p.Score >= threshold ? ItemStatus.InReview : ItemStatus.Dismissed, language);
            }

            await store.SaveVerdictsAsync(results, cancellationToken);
            total += items.Count;
            logger.LogInformation("Classified a batch of {Count} items with {Model}; {Flagged} flagged for review",
                items.Count, classifier.ModelVersion, results.Count(r => r.Status == ItemStatus.InReview));
        }

        return total;
    }
}
