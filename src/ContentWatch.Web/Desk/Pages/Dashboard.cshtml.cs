using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>The last <see cref="Days"/> days: items flagged, decisions, the model's precision, and platforms' outcomes.</summary>
public sealed class DashboardModel(IDeskStore desk, TimeProvider time) : PageModel
{
    public const int Days = 30;

    public DashboardFigures Figures { get; private set; } = null!;

    public BarChart Flagged { get; private set; } = null!;

    public BarChart Decisions { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - Days), TimeSpan.Zero);
        Figures = await desk.GetDashboardAsync(since, cancellationToken);
        var days = BarChart.Days(since, now);
        Flagged = new BarChart(days, Figures.FlaggedPerDay.ToDictionary(d => d.Day, d => new[] { d.Count }), ["flagged"]);
        Decisions = new BarChart(days, Figures.DecisionsPerDay.ToDictionary(d => d.Day, d => new[] { d.Confirmed, d.Rejected }), ["confirmed", "rejected"]);
    }
}
