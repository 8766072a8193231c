using System.Globalization;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Models;

/// <summary>
/// What to rescore with a model: pending and in-review items first reported since <see cref="Since"/>, and with
/// <see cref="IncludeDismissed"/> the dismissed items first reported in [<see cref="DismissedFrom"/>, <see cref="DismissedTo"/>).
/// </summary>
public sealed record RescoreRequest(string ModelId, DateTimeOffset Since, bool IncludeDismissed, DateTimeOffset DismissedFrom, DateTimeOffset DismissedTo);

/// <summary>
/// A rescore run and its progress. Outcomes per item: <c>rescored</c> (an item in review got the model's verdict; it stays
/// in review), <c>requeued</c> (a dismissed item the model flags went back to review, with a note), <c>unchanged</c> (a
/// dismissed item the model does not flag), <c>classified</c> (a pending item classified by the model), <c>skipped</c>
/// (decided, or claimed by a classification worker, meanwhile).
/// </summary>
public sealed record RescoreRun(
    string Id, string ModelId, DateTimeOffset Since, bool IncludeDismissed, DateTimeOffset DismissedFrom, DateTimeOffset DismissedTo,
    DateTimeOffset CreatedAt, string CreatedBy, int Total, int Batches, int BatchesDone, IReadOnlyDictionary<string, int> Outcomes)
{
    public int Done => Outcomes.Values.Sum();

    public bool Finished => BatchesDone >= Batches;
}

public static class RescoreOutcomes
{
    public const string Rescored = "rescored";
    public const string Requeued = "requeued";
    public const string Unchanged = "unchanged";
    public const string Classified = "classified";
    public const string Skipped = "skipped";
}

/// <summary>An item of a claimed rescore batch as it stands now.</summary>
public sealed record RescoreItem(string ItemId, string Status, string Text, string? Title, string Kind, string? Language, double? Score, string? Model, Evidence? Evidence);

/// <summary>What a rescore does to one item: a new verdict (for <c>rescored</c> and <c>requeued</c>) and the note of a re-queue.</summary>
public sealed record RescoreOutcome(string ItemId, string Outcome, Verdict? Verdict = null, string? Note = null);

/// <summary>A batch of a run that no worker holds and none finished.</summary>
public sealed record OpenBatch(string RunId, int Batch, int Batches);

public interface IRescoreStore
{
    /// <summary>Creates a run: its items numbered into batches of <paramref name="batchSize"/> (oldest first report first).</summary>
    Task<RescoreRun> CreateRunAsync(RescoreRequest request, int batchSize, string actor, CancellationToken cancellationToken);

    Task<RescoreRun?> GetRunAsync(string id, CancellationToken cancellationToken);

    /// <summary>Batches not finished and not under a live lease (the sweep re-enqueues them), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<OpenBatch>> GetOpenBatchesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes batch <paramref name="batch"/> of the run for <paramref name="lease"/> (on the database's clock) and returns
    /// its items not yet done; null when it is finished or another worker holds it.
    /// </summary>
    Task<IReadOnlyList<RescoreItem>?> ClaimBatchAsync(string runId, int batch, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the outcomes and finishes the batch, in one transaction: an in-review item gets its new verdict (only while
    /// in review); a dismissed item goes back to review with its note (only while dismissed; otherwise it counts as
    /// skipped); the verdict's classification time is left as it was.
    /// </summary>
    Task CompleteBatchAsync(string runId, int batch, IReadOnlyList<RescoreOutcome> outcomes, string actor, CancellationToken cancellationToken);
}

/// <summary>
/// Rescoring with a registered model, in batches that Hangfire jobs carry (the database holds the run, its batches and
/// each item's outcome, so a lost job is found again by the sweep): items in review get the model's verdict and stay in
/// review; pending items are claimed and classified by the model as classification does (never twice); dismissed items
/// (when asked) that the model flags go back to review with a note saying why, audited.
/// </summary>
public sealed class RescoreService(
    IRescoreStore store,
    IClassificationStore items,
    ModelRegistry registry,
    ModelSelection selection,
    ClassificationService classification,
    IWorkQueue work,
    IOptions<ModelsOptions> options,
    IOptions<ClassificationOptions> classificationOptions,
    TimeProvider time,
    ILogger<RescoreService> logger)
{
    /// <summary>What a rescore request names, checked: the model exists; the dates are in order.</summary>
    public static IReadOnlyList<FieldError> Validate(RescoreRequest request, bool modelExists)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        if (!modelExists)
        {
            errors.Add(new FieldError("model", $"no model {request.ModelId} is registered"));
        }

        if (request.IncludeDismissed && request.DismissedFrom >= request.DismissedTo)
        {
            errors.Add(new FieldError("to", "must be after from"));
        }

        return errors;
    }

    /// <summary>Creates the run and asks the workers for its batches.</summary>
    public async Task<RescoreRun> StartAsync(RescoreRequest request, string actor, CancellationToken cancellationToken)
    {
        var run = await store.CreateRunAsync(request, options.Value.RescoreBatchSize, actor, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rescore {RunId} with {ModelId} by {Actor}: {Total} items in {Batches} batches", run.Id, run.ModelId, actor, run.Total, run.Batches);
        work.RescoreNeeded(run.Id, run.Batches);
        return run;
    }

    /// <summary>Rescores one batch unless it is finished or another worker holds it. Returns the number of items done.</summary>
    public async Task<int> RunBatchAsync(string runId, int batch, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return 0;
        }

        var lease = TimeSpan.FromSeconds(options.Value.RescoreLeaseSeconds);
        var claimed = await store.ClaimBatchAsync(runId, batch, lease, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return 0;
        }

        var model = await registry.GetModelAsync(run.ModelId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Model {run.ModelId} of rescore {runId} is not registered.");
        var outcomes = new List<RescoreOutcome>(claimed.Count);

        // pending items: claimed and classified as classification does, by this model
        var pending = claimed.Where(i => i.Status == ItemStatus.Pending).Select(i => i.ItemId).ToList();
        if (pending.Count > 0)
        {
            var taken = await items.ClaimItemsAsync(pending, TimeSpan.FromSeconds(classificationOptions.Value.ClaimLeaseSeconds), cancellationToken).ConfigureAwait(false);
            await classification.ClassifyClaimedAsync(taken, selection.Current with { Active = model }, cancellationToken).ConfigureAwait(false);
            var classified = taken.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            outcomes.AddRange(pending.Select(id => new RescoreOutcome(id, classified.Contains(id) ? RescoreOutcomes.Classified : RescoreOutcomes.Skipped)));
        }

        var scored = claimed.Where(i => i.Status == ItemStatus.InReview || (i.Status == ItemStatus.Dismissed && run.IncludeDismissed)).ToList();
        var predictions = model.ClassifyBatch([.. scored.Select(i => new ClassifierInput(i.Text, i.Title, i.Kind, i.Language))]);
        var threshold = registry.ThresholdOf(model);
        var now = time.GetUtcNow();
        for (var i = 0; i < scored.Count; i++)
        {
            var item = scored[i];
            var p = predictions[i];
            var hits = item.Evidence?.Watchlist;
            var watched = hits is { Count: > 0 } && p.Score < threshold;
            var evidence = hits is not { Count: > 0 } ? p.Evidence : (p.Evidence ?? Evidence.None) with { Watchlist = hits };
            var verdict = new Verdict(Labels.ForScore(p.Score, p.Scores, watched ? 0 : threshold), p.Score, p.Scores, model.ModelVersion, now, evidence);
            if (item.Status == ItemStatus.InReview)
            {
                outcomes.Add(new RescoreOutcome(item.ItemId, RescoreOutcomes.Rescored, verdict));
            }
            else if (p.Score >= threshold)
            {
                outcomes.Add(new RescoreOutcome(item.ItemId, RescoreOutcomes.Requeued, verdict, RequeueNote(run, item, p.Score, threshold)));
            }
            else
            {
                outcomes.Add(new RescoreOutcome(item.ItemId, RescoreOutcomes.Unchanged));
            }
        }

        var handled = outcomes.Select(o => o.ItemId).ToHashSet(StringComparer.Ordinal);
        outcomes.AddRange(claimed.Where(i => !handled.Contains(i.ItemId)).Select(i => new RescoreOutcome(i.ItemId, RescoreOutcomes.Skipped)));
        await store.CompleteBatchAsync(runId, batch, outcomes, run.CreatedBy, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Rescore {RunId} batch {Batch} of {Batches} with {ModelId}: {Count} items, {Requeued} re-queued",
            runId, batch, run.Batches, run.ModelId, outcomes.Count, outcomes.Count(o => o.Outcome == RescoreOutcomes.Requeued));
        return outcomes.Count;
    }

    /// <summary>Asks for the open batches of every run again (the sweep: a lost job is found from the database).</summary>
    public async Task<int> RequeueOpenBatchesAsync(CancellationToken cancellationToken)
    {
        var open = await store.GetOpenBatchesAsync(1_000, cancellationToken).ConfigureAwait(false);
        foreach (var batch in open)
        {
            work.RescoreBatchNeeded(batch.RunId, batch.Batch, batch.Batches);
        }

        return open.Count;
    }

    private static string RequeueNote(RescoreRun run, RescoreItem item, double score, double threshold)
    {
        var inv = CultureInfo.InvariantCulture;
        var before = item.Score is { } s ? string.Create(inv, $"{s:0.00} by {item.Model ?? "an earlier model"}") : "no score";
        return string.Create(inv,
            $"Back to review: rescore {run.Id} with model {run.ModelId} scored it {score:0.00}, at or above the review threshold {threshold:0.00}; it had been dismissed with {before}.");
    }
}
