using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Networks;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>The active watchlist; officers add an indicator with a reason and remove one with a reason, both audited.</summary>
public sealed class WatchlistModel(IWatchlistStore store, WatchlistService watchlist, ILogger<WatchlistModel> logger) : PageModel
{
    public const int MaxListed = 200;

    public IReadOnlyList<WatchlistEntry> Entries { get; private set; } = [];

    public List<FieldError> Errors { get; } = [];

    public WatchlistRequest? Posted { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken cancellationToken)
    {
        Done = done is "added" or "removed" ? done : null;
        Entries = await store.ListAsync(null, false, MaxListed, cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(string? type, string? value, string? reason, CancellationToken cancellationToken)
    {
        Posted = new WatchlistRequest(type, value, reason);
        var (indicator, errors) = watchlist.Validate(Posted);
        if (indicator is not null)
        {
            var entry = await watchlist.AddAsync(indicator, reason!, User.Actor(), cancellationToken);
            logger.LogInformation("Watchlist entry {EntryId} added by {Actor}", entry.Id, User.Actor());
            return Redirect("/desk/watchlist?done=added");
        }

        Errors.AddRange(errors);
        Entries = await store.ListAsync(null, false, MaxListed, cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? id, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || await watchlist.RemoveAsync(id, reason, User.Actor(), cancellationToken) is null)
        {
            return NotFound();
        }

        logger.LogInformation("Watchlist entry {EntryId} removed by {Actor}", id, User.Actor());
        return Redirect("/desk/watchlist?done=removed");
    }
}
