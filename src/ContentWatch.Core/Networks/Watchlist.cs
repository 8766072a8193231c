using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Networks;

/// <summary>
/// A watched indicator. Entries from a confirmation cite the confirmed item and decision; an officer's own entries cite
/// none. A removed entry stays, with who removed it, when and why.
/// </summary>
public sealed record WatchlistEntry(
    string Id,
    string Type,
    string Value,
    string Reason,
    string? ItemId,
    string? DecisionId,
    string? Category,
    string AddedBy,
    DateTimeOffset AddedAt,
    DateTimeOffset? RemovedAt,
    string? RemovedBy,
    string? RemovedReason);

/// <summary>One record of the watchlist's append-only audit: an entry added or removed.</summary>
public sealed record WatchlistEvent(string Id, string EntryId, string Action, string Actor, DateTimeOffset At, string? Reason);

public static class WatchlistActions
{
    public const string Add = "add";
    public const string Remove = "remove";
}

public interface IWatchlistStore
{
    /// <summary>Adds an officer's entry and its audit record in one transaction.</summary>
    Task<WatchlistEntry> AddAsync(Indicator indicator, string reason, string actor, CancellationToken cancellationToken);

    /// <summary>Removes an active entry, audited; an entry removed before is returned unchanged; null when there is none.</summary>
    Task<WatchlistEntry?> RemoveAsync(string id, string? reason, string actor, CancellationToken cancellationToken);

    Task<WatchlistEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Entries newest first, active ones only unless <paramref name="includeRemoved"/>; type and value filter when given.</summary>
    Task<IReadOnlyList<WatchlistEntry>> ListAsync(Indicator? indicator, bool includeRemoved, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<WatchlistEvent>> GetEventsAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the indicators of confirmed items on the watchlist, each entry citing the item's first confirm decision, its
    /// category and officer; an indicator an entry from the same item already holds (active or removed) is skipped.
    /// <paramref name="itemId"/> limits it to one item; null does every confirmed item (the sweep). Returns the count added.
    /// </summary>
    Task<int> AddConfirmedAsync(string? itemId, CancellationToken cancellationToken);
}

/// <summary>An officer's watchlist entry as sent.</summary>
public sealed record WatchlistRequest(string? Type, string? Value, string? Reason);

/// <summary>Checks and records officers' watchlist changes; indicators are normalised as the extractor does, so any way of writing one matches.</summary>
public sealed class WatchlistService(IWatchlistStore store, IndicatorExtractor extractor)
{
    public const int MaxReasonLength = 2_000;

    /// <summary>The normalised indicator, or the field errors.</summary>
    public (Indicator? Indicator, IReadOnlyList<FieldError> Errors) Validate(WatchlistRequest request)
    {
        var errors = new List<FieldError>();
        var indicator = ParseIndicator(request.Type, request.Value, errors);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new FieldError("reason", "is required: say why the indicator is watched"));
        }
        else if (request.Reason.Length > MaxReasonLength)
        {
            errors.Add(new FieldError("reason", $"is {request.Reason.Length} characters long; at most {MaxReasonLength} are allowed"));
        }

        return (errors.Count == 0 ? indicator : null, errors);
    }

    /// <summary>A type and value as typed by an officer or a partner, normalised; errors name <c>type</c> and <c>value</c>.</summary>
    public Indicator? ParseIndicator(string? type, string? value, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (!IndicatorTypes.IsValid(type))
        {
            errors.Add(new FieldError("type", "must be one of " + string.Join(", ", IndicatorTypes.All)));
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError("value", "is required"));
        }
        else if (value.Length > 2_048)
        {
            errors.Add(new FieldError("value", $"is {value.Length} characters long; at most 2048 are allowed"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        var normalised = extractor.Normalize(type!, value!);
        if (normalised is null)
        {
            errors.Add(new FieldError("value", $"is not a {type} ContentWatch can read (e.g. " + Example(type!) + ")"));
            return null;
        }

        return new Indicator(type!, normalised);
    }

    public Task<WatchlistEntry> AddAsync(Indicator indicator, string reason, string actor, CancellationToken cancellationToken) =>
        store.AddAsync(indicator, reason.Trim(), actor, cancellationToken);

    public Task<WatchlistEntry?> RemoveAsync(string id, string? reason, string actor, CancellationToken cancellationToken) =>
        store.RemoveAsync(id, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, MaxReasonLength)], actor, cancellationToken);

    private static string Example(string type) => type switch
    {
        IndicatorTypes.Phone => "+447700900123",
        IndicatorTypes.Email => "name@example.org",
        IndicatorTypes.Url => "https://example.org/page",
        IndicatorTypes.Domain => "example.org",
        IndicatorTypes.Telegram => "@handle or t.me/handle",
        IndicatorTypes.WhatsApp => "+447700900123 or wa.me/447700900123",
        IndicatorTypes.Wallet => "a BTC, ETH or TRON address with a valid checksum",
        IndicatorTypes.Iban => "GB82 WEST 1234 5698 7654 32",
        _ => "+447700900123 or an invite link",
    };
}
