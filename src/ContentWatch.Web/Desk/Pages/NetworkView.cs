using ContentWatch.Core.Networks;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>What the item page's network section shows.</summary>
public sealed record NetworkView(ItemNetwork Network, IReadOnlyList<WatchlistHit>? Hits);
