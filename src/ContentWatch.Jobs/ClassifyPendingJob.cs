using System.ComponentModel;
using Hangfire;
using ContentWatch.Core.Classification;

namespace ContentWatch.Jobs;

/// <summary>Classifies pending items, batch by batch, until none is left. Safe to run on several workers at once: batches are claimed.</summary>
public sealed class ClassifyPendingJob(ClassificationService classification)
{
    [Queue("classify")]
    [AutomaticRetry(Attempts = 3)]
    [DisplayName("Classify pending items")]
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        classification.ClassifyPendingAsync(int.MaxValue, cancellationToken);
}
