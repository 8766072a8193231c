using ContentWatch.Core.Classification;

namespace ContentWatch.Core.Models;

/// <summary>The models a node scores new items with: the active one, and the shadow one when there is one.</summary>
public sealed record LiveModels(ITextClassifier Active, string ActiveSha256, ITextClassifier? Shadow = null, string? ShadowSha256 = null);

/// <summary>
/// The node's live models, swapped as one reference: a batch reads <see cref="Current"/> once and finishes with the
/// models it started with, while the next batch picks up a swap (<see cref="ModelRegistry.RefreshAsync"/>).
/// </summary>
public sealed class ModelSelection
{
    private LiveModels? _current;

    /// <summary>The live models; throws before the registry was first read (at start-up).</summary>
    public LiveModels Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("No model is loaded yet: the registry is read at start-up.");

    public LiveModels? CurrentOrNull => Volatile.Read(ref _current);

    public void Set(LiveModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Volatile.Write(ref _current, models);
    }
}
