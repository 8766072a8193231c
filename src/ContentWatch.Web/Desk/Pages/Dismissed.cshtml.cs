using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>Items the model scored below the review threshold, newest first, so officers can look for what it missed.</summary>
public sealed class DismissedModel(IReviewStore store) : PageModel
{
    public const int MaxListed = 200;

    public string? Platform { get; private set; }

    public IReadOnlyList<ItemSummary> Items { get; private set; } = [];

    public async Task OnGetAsync(string? platform, CancellationToken cancellationToken)
    {
        Platform = platform?.Trim().ToLowerInvariant() is { Length: > 0 } p && ReportParser.IsPlatformName(p) ? p : null;
        Items = await store.ListItemsAsync(ItemStatus.Dismissed, Platform, MaxListed, cancellationToken);
    }
}
