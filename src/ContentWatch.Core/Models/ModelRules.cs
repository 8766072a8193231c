namespace ContentWatch.Core.Models;

/// <summary>Which status changes the registry allows, checked against the state read in the change's own transaction.</summary>
public static class ModelRules
{
    public const int MaxIdLength = 200;

    /// <summary>
    /// A model id (its version, e.g. <c>cw-lbfgs-20261206-38c22ce</c>): letters, digits, '.', '_' and '-', starting with a
    /// letter or digit, at most <see cref="MaxIdLength"/>. Ids go into paths, logs and the desk, so nothing else is registered.
    /// </summary>
    public static bool IsModelId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && char.IsAsciiLetterOrDigit(id[0]) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// Why the change cannot be written, or null: the model does not exist; the active model changed since the gate
    /// compared against it; the model has the status already (nothing to do); or the active model is asked to become
    /// shadow or retired (activate another model first: there is always one active once the registry has a model).
    /// </summary>
    /// <param name="currentStatus">The model's status, or null when there is no such model.</param>
    /// <param name="activeId">The active model's id, or null when none is active.</param>
    public static StatusChangeResult? Refusal(StatusChange change, string? currentStatus, string? activeId)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (currentStatus is null)
        {
            return new StatusChangeResult(StatusChangeOutcome.NotFound, $"No model {change.ModelId}.");
        }

        if (!ModelStatus.All.Contains(change.Status))
        {
            return new StatusChangeResult(StatusChangeOutcome.Conflict, $"'{change.Status}' is not a model status.");
        }

        if (change.CheckActive && activeId != change.ExpectedActiveId)
        {
            return new StatusChangeResult(StatusChangeOutcome.Conflict,
                $"The active model is now {activeId ?? "none"}, not {change.ExpectedActiveId ?? "none"} as when the comparison was made; compare again.");
        }

        if (currentStatus == change.Status)
        {
            return new StatusChangeResult(StatusChangeOutcome.Unchanged, $"{change.ModelId} is {currentStatus} already.");
        }

        return currentStatus == ModelStatus.Active
            ? new StatusChangeResult(StatusChangeOutcome.Conflict,
                $"{change.ModelId} is the active model; activate another model first (rolling back is activating the previous one).")
            : null;
    }

    /// <summary>
    /// The models a change moves aside, as (status they hold, status they get): a new active model retires the active
    /// one; a new shadow model sends the shadow one back to candidate. (A shadow made active leaves shadow with it.)
    /// </summary>
    public static IReadOnlyList<(string Holder, string To)> Displaced(string status) => status switch
    {
        ModelStatus.Active => [(ModelStatus.Active, ModelStatus.Retired)],
        ModelStatus.Shadow => [(ModelStatus.Shadow, ModelStatus.Candidate)],
        _ => [],
    };
}
