using System.Security.Cryptography;
using System.Text.Json;
using ContentWatch.Core.Classification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContentWatch.Core.Models;

/// <summary>What a registry command did.</summary>
public enum RegistryOutcome
{
    Done,
    /// <summary>The model had that status already.</summary>
    Unchanged,
    NotFound,
    /// <summary>The promotion gate found the candidate worse, and the change was not forced.</summary>
    Refused,
    /// <summary>The change breaks a rule (e.g. retiring the active model) or the active model changed meanwhile.</summary>
    Conflict,
}

/// <summary>The outcome of a registry command, the model as it now stands and the gate's comparison (for activations).</summary>
public sealed record RegistryResult(RegistryOutcome Outcome, ModelInfo? Model, GateComparison? Comparison = null, string? Message = null);

/// <summary>
/// The model registry's commands: import a model file as a candidate, put a model in shadow, activate it through the
/// promotion gate (<see cref="PromotionGate"/>), retire it, read a shadow report; and the node's side of it: the
/// shipped model registered as active on first start, and <see cref="RefreshAsync"/>, which loads the active and
/// shadow models from the registry into <see cref="ModelSelection"/> whenever they change (polled by every node).
/// Model files live in the database, so any node can load any registered model.
/// </summary>
public sealed class ModelRegistry(
    IModelStore store,
    IModelLoader loader,
    ModelSelection selection,
    IOptions<ModelsOptions> options,
    IOptions<ClassificationOptions> classification,
    TimeProvider time,
    ILogger<ModelRegistry> logger)
{
    /// <summary>The actor of the shipped model's registration on first start.</summary>
    public const string FirstStartActor = "system:first-start";

    /// <summary>The actor of the shipped model's activation when the active model's file is of a format this build cannot read.</summary>
    public const string UpgradeActor = "system:upgrade";

    /// <summary>Models kept loaded besides the live ones (for the gate and rescoring).</summary>
    private const int SpareModels = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _cacheLock = new();
    private readonly List<(string Id, string Sha256, ITextClassifier Model)> _loaded = [];

    /// <summary>The review threshold a model's verdicts follow (<see cref="ClassificationOptions.ThresholdOf"/>).</summary>
    public double ThresholdOf(ITextClassifier model) => classification.Value.ThresholdOf(model);

    /// <summary>
    /// Registers a model file as a candidate, with its golden-set figures; the same file again is found, not registered
    /// twice. Throws <see cref="InvalidDataException"/> for a file that is not a model and
    /// <see cref="InvalidOperationException"/> when another file is registered under the same id.
    /// </summary>
    public async Task<(ModelInfo Model, bool Created)> ImportAsync(byte[] content, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var model = await DescribeAsync(content, cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync(model.Id, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return (SameFile(existing, model), false);
        }

        var stored = await store.RegisterAsync(model, actor, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Model {ModelId} registered as a candidate by {Actor}", model.Id, actor);
        return (SameFile(stored, model), true);
    }

    /// <summary>
    /// Registers the model file at <paramref name="path"/> as active when the registry holds no active model (first
    /// start), or when the active model's file is of a format this build cannot read (an upgrade across a model-format
    /// change, which would otherwise stop all scoring): then the file is registered and activated without the gate,
    /// which cannot score the old model, as a forced change by <see cref="UpgradeActor"/> with the reason in its event;
    /// a shadow model of that kind is retired the same way. False when nothing changed.
    /// </summary>
    public async Task<bool> SeedAsync(string path, CancellationToken cancellationToken)
    {
        var live = await store.GetLiveAsync(cancellationToken).ConfigureAwait(false);
        if (live.ActiveId is not null)
        {
            return await ReplaceUnreadableAsync(path, live, cancellationToken).ConfigureAwait(false);
        }

        var model = await DescribeAsync(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var seeded = await store.SeedAsync(model, FirstStartActor, cancellationToken).ConfigureAwait(false);
        if (seeded)
        {
            logger.LogInformation("Model registry was empty: {ModelId} from {Path} registered as the active model", model.Id, path);
        }

        return seeded;
    }

    /// <summary>
    /// Retires a shadow model and replaces an active one whose files this build cannot read (see <see cref="SeedAsync"/>);
    /// true when anything changed.
    /// </summary>
    private async Task<bool> ReplaceUnreadableAsync(string path, LiveModelIds live, CancellationToken cancellationToken)
    {
        var changed = false;
        if (live.ShadowId is not null && await UnreadableAsync(live.ShadowId, cancellationToken).ConfigureAwait(false) is { } shadowReason)
        {
            var retire = new StatusChange(live.ShadowId, ModelStatus.Retired, UpgradeActor, Forced: true, Reason(live.ShadowId, shadowReason));
            var result = await store.SetStatusAsync(retire, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("The shadow model {ModelId} is of a format this build cannot read ({Reason}); retired: {Outcome}", live.ShadowId, shadowReason, result.Outcome);
            changed |= result.Outcome == StatusChangeOutcome.Changed;
        }

        if (await UnreadableAsync(live.ActiveId!, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            var (model, _) = await ImportAsync(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), UpgradeActor, cancellationToken).ConfigureAwait(false);
            var activate = new StatusChange(model.Id, ModelStatus.Active, UpgradeActor, Forced: true, Reason(live.ActiveId!, reason), CheckActive: true, ExpectedActiveId: live.ActiveId);
            var result = await store.SetStatusAsync(activate, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("The active model {Previous} is of a format this build cannot read ({Reason}); {ModelId} from {Path} made active: {Outcome}",
                live.ActiveId, reason, model.Id, path, result.Outcome);
            changed |= result.Outcome == StatusChangeOutcome.Changed;
        }

        return changed;
    }

    /// <summary>
    /// Why this build cannot read the registered model's file (<see cref="IModelLoader.UnsupportedFormat"/>: its header
    /// only, so a command that never scores does not load the model), or null when it can.
    /// </summary>
    private async Task<string?> UnreadableAsync(string id, CancellationToken cancellationToken)
    {
        var content = await store.GetContentAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Model {id} has no stored file.");
        return loader.UnsupportedFormat(content);
    }

    private static string Reason(string id, string why) =>
        JsonSerializer.Serialize(new { reason = $"model {id} cannot be read by this build: {why}" }, Json);

    /// <summary>
    /// Loads the registry's active and shadow models into <see cref="ModelSelection"/> when they differ from what this
    /// node scores with. Batches already running finish with the models they started with.
    /// </summary>
    public async Task<LiveModels> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var live = await store.GetLiveAsync(cancellationToken).ConfigureAwait(false);
            var current = selection.CurrentOrNull;
            if (current is not null && current.Active.ModelVersion == live.ActiveId && current.ActiveSha256 == live.ActiveSha256
                && current.Shadow?.ModelVersion == live.ShadowId && current.ShadowSha256 == live.ShadowSha256)
            {
                return current;
            }

            if (live.ActiveId is null)
            {
                throw new InvalidOperationException("The model registry has no active model: activate one with 'contentwatch models activate ID'.");
            }

            var active = await LoadAsync(live.ActiveId, live.ActiveSha256!, cancellationToken).ConfigureAwait(false);
            var shadow = live.ShadowId is null ? null : await LoadAsync(live.ShadowId, live.ShadowSha256!, cancellationToken).ConfigureAwait(false);
            var next = new LiveModels(active, live.ActiveSha256!, shadow, live.ShadowSha256);
            selection.Set(next);
            Trim(live);
            logger.LogInformation("Live models: active {Active} (was {Previous}), shadow {Shadow}", live.ActiveId, current?.Active.ModelVersion ?? "none", live.ShadowId ?? "none");
            return next;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>A registered model, loaded (kept loaded for the next use).</summary>
    public async Task<ITextClassifier?> GetModelAsync(string id, CancellationToken cancellationToken)
    {
        var info = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return info is null ? null : await LoadAsync(info.Id, info.Sha256, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The promotion gate's comparison of a model with the active one; null when there is no such model.</summary>
    public async Task<GateComparison?> CompareAsync(string id, CancellationToken cancellationToken)
    {
        var info = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return info is null ? null : await CompareAsync(info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the model active unless the gate finds it worse than the active one (<paramref name="force"/> skips the
    /// refusal; the comparison is made and kept either way). The previous active model is retired; rolling back is
    /// activating it again.
    /// </summary>
    public async Task<RegistryResult> ActivateAsync(string id, string actor, bool force, CancellationToken cancellationToken)
    {
        var info = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return new RegistryResult(RegistryOutcome.NotFound, null, null, $"No model {id}.");
        }

        if (info.Status == ModelStatus.Active)
        {
            return new RegistryResult(RegistryOutcome.Unchanged, info, null, $"{id} is the active model already.");
        }

        var comparison = await CompareAsync(info, cancellationToken).ConfigureAwait(false);
        if (comparison.Worse && !force)
        {
            logger.LogWarning("Activation of {ModelId} by {Actor} refused by the promotion gate: {Reasons}", id, actor, string.Join("; ", comparison.Reasons));
            return new RegistryResult(RegistryOutcome.Refused, info, comparison, "The promotion gate finds the candidate worse than the active model.");
        }

        var change = new StatusChange(id, ModelStatus.Active, actor, force, JsonSerializer.Serialize(comparison, Json), CheckActive: true, ExpectedActiveId: comparison.ActiveId);
        return await ChangeAsync(change, comparison, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the model in shadow (the shadow one goes back to candidate). Shadowing acts on nothing, so no gate; <paramref name="force"/> is recorded.</summary>
    public Task<RegistryResult> ShadowAsync(string id, string actor, bool force, CancellationToken cancellationToken) =>
        ChangeAsync(new StatusChange(id, ModelStatus.Shadow, actor, force), null, cancellationToken);

    /// <summary>Retires a candidate or the shadow model; the active model is replaced by activating another.</summary>
    public Task<RegistryResult> RetireAsync(string id, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(new StatusChange(id, ModelStatus.Retired, actor, false), null, cancellationToken);

    /// <summary>How the model's shadow verdicts compare with the items' own; null when there is no such model.</summary>
    public async Task<ShadowReport?> ShadowReportAsync(string id, int listLimit, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var counts = await store.CompareShadowAsync(id, listLimit, cancellationToken).ConfigureAwait(false);
        var live = await store.GetLiveAsync(cancellationToken).ConfigureAwait(false);
        return ShadowReport.From(id, live.ActiveId, counts);
    }

    private async Task<RegistryResult> ChangeAsync(StatusChange change, GateComparison? comparison, CancellationToken cancellationToken)
    {
        var result = await store.SetStatusAsync(change, cancellationToken).ConfigureAwait(false);
        var model = await store.GetAsync(change.ModelId, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case StatusChangeOutcome.Changed:
                logger.LogWarning("Model {ModelId} made {Status} by {Actor}{Forced}", change.ModelId, change.Status, change.Actor, change.Forced ? " (forced)" : "");
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                return new RegistryResult(RegistryOutcome.Done, model, comparison);
            case StatusChangeOutcome.Unchanged:
                return new RegistryResult(RegistryOutcome.Unchanged, model, comparison, result.Message);
            case StatusChangeOutcome.NotFound:
                return new RegistryResult(RegistryOutcome.NotFound, null, null, result.Message);
            default:
                return new RegistryResult(RegistryOutcome.Conflict, model, comparison, result.Message);
        }
    }

    private async Task<GateComparison> CompareAsync(ModelInfo candidateInfo, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var live = await store.GetLiveAsync(cancellationToken).ConfigureAwait(false);
        if (live.ActiveId is null || live.ActiveId == candidateInfo.Id)
        {
            return PromotionGate.Judge(candidateInfo.Id, null, null, null, o.GateTolerance, o.GateMinDecisions);
        }

        var candidate = await LoadAsync(candidateInfo.Id, candidateInfo.Sha256, cancellationToken).ConfigureAwait(false);
        var active = await LoadAsync(live.ActiveId, live.ActiveSha256!, cancellationToken).ConfigureAwait(false);
        var folder = GoldenSet.ResolveFolder(o.GoldenPath);
        var golden = await GoldenSet.LoadAsync(folder, cancellationToken).ConfigureAwait(false);
        (HarmfulFigures, HarmfulFigures)? goldenFigures = golden is { Items.Count: > 0 }
            ? (HarmfulMeasure.Measure(candidate, golden.Items, ThresholdOf(candidate), golden.Sha256), HarmfulMeasure.Measure(active, golden.Items, ThresholdOf(active), golden.Sha256))
            : null;

        var decided = await store.GetDecidedAsync(time.GetUtcNow().AddDays(-o.GateDecisionDays), o.GateMaxDecisions, cancellationToken).ConfigureAwait(false);
        var heldOut = PromotionGate.Labelled(decided.Where(d => PromotionGate.HeldOut(d, candidateInfo.Training)));
        (HarmfulFigures, HarmfulFigures)? decisionFigures = heldOut.Count > 0
            ? (HarmfulMeasure.Measure(candidate, heldOut, ThresholdOf(candidate)), HarmfulMeasure.Measure(active, heldOut, ThresholdOf(active)))
            : null;
        return PromotionGate.Judge(candidateInfo.Id, live.ActiveId, goldenFigures, decisionFigures, o.GateTolerance, o.GateMinDecisions,
            golden is null ? $"none at {folder}" : golden.Skipped.Count > 0 ? $"{golden.Skipped.Count} unreadable lines skipped" : null);
    }

    /// <summary>Everything the registry keeps of a model file: its metadata, SHA-256 and golden-set figures.</summary>
    private async Task<NewModel> DescribeAsync(byte[] content, CancellationToken cancellationToken)
    {
        var facts = loader.Inspect(content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var model = loader.Load(content);
        Remember(facts.Id, sha256, model);
        var golden = await GoldenSet.LoadAsync(GoldenSet.ResolveFolder(options.Value.GoldenPath), cancellationToken).ConfigureAwait(false);
        var goldenFigures = golden is { Items.Count: > 0 } ? HarmfulMeasure.Measure(model, golden.Items, ThresholdOf(model), golden.Sha256) : null;
        return new NewModel(facts.Id, sha256, content, facts.TrainedAt, facts.ReviewThreshold,
            new ModelMetrics(facts.LeaveOneWriterOut, goldenFigures, facts.Dev), facts.Training);
    }

    private static ModelInfo SameFile(ModelInfo stored, NewModel model) =>
        stored.Sha256 == model.Sha256
            ? stored
            : throw new InvalidOperationException(
                $"Another model file is registered as {model.Id} (SHA-256 {stored.Sha256[..12]}…, this file {model.Sha256[..12]}…): a model's id is its version; train it again to get a new one.");

    private async Task<ITextClassifier> LoadAsync(string id, string sha256, CancellationToken cancellationToken)
    {
        lock (_cacheLock)
        {
            var index = _loaded.FindIndex(m => m.Id == id && m.Sha256 == sha256);
            if (index >= 0)
            {
                var hit = _loaded[index];
                _loaded.RemoveAt(index);
                _loaded.Add(hit);
                return hit.Model;
            }
        }

        var content = await store.GetContentAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Model {id} has no stored file.");
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual != sha256)
        {
            throw new InvalidDataException($"The stored file of model {id} has SHA-256 {actual}, not the registered {sha256}.");
        }

        var model = loader.Load(content);
        Remember(id, sha256, model);
        return model;
    }

    private void Remember(string id, string sha256, ITextClassifier model)
    {
        lock (_cacheLock)
        {
            _loaded.RemoveAll(m => m.Id == id);
            _loaded.Add((id, sha256, model));
        }
    }

    /// <summary>Keeps the live models and the <see cref="SpareModels"/> most recently used others.</summary>
    private void Trim(LiveModelIds live)
    {
        lock (_cacheLock)
        {
            var spare = _loaded.Where(m => m.Id != live.ActiveId && m.Id != live.ShadowId).ToList();
            foreach (var old in spare.Take(Math.Max(0, spare.Count - SpareModels)))
            {
                _loaded.Remove(old);
            }
        }
    }
}
