using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>
/// The last <see cref="Days"/> days: items flagged, decisions, the model's precision per day, and platforms' removal
/// rates and median times to removal.
/// </summary>
public sealed class DashboardModel(IDeskStore desk, TimeProvider time) : PageModel
{
    public const int Days = 30;

    public DashboardFigures Figures { get; private set; } = null!;

    public BarChart Flagged { get; private set; } = null!;

    public BarChart Decisions { get; private set; } = null!;

    public PrecisionChart Precision { get; private set; } = null!;

    public HorizontalBarChart RemovalRates { get; private set; } = null!;

    public HorizontalBarChart TimesToRemoval { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - Days), TimeSpan.Zero);
        Figures = await desk.GetDashboardAsync(since, cancellationToken);
        var days = BarChart.Days(since, now);
        Flagged = new BarChart(days, Figures.FlaggedPerDay.ToDictionary(d => d.Day, d => new[] { d.Count }), ["flagged"]);
        Decisions = new BarChart(days, Figures.DecisionsPerDay.ToDictionary(d => d.Day, d => new[] { d.Confirmed, d.Rejected }), ["confirmed", "rejected"]);
        Precision = new PrecisionChart(days, Figures.FlaggedDecisionsPerDay);
        var platforms = Figures.Platforms;
        RemovalRates = new HorizontalBarChart(
            "Removal rate per platform",
            [.. platforms.Select(p => (p.Platform, p.RemovalRate, $"{DeskFormat.Percent(p.RemovalRate)} ({p.Removed} of {p.Total})"))],
            1);
        TimesToRemoval = new HorizontalBarChart(
            "Median time to removal per platform",
            [.. platforms.Select(p => (p.Platform, p.MedianTimeToRemoval?.TotalHours, p.MedianTimeToRemoval is { } t ? DeskFormat.Duration(t) : "no removals"))],
            platforms.Select(p => p.MedianTimeToRemoval?.TotalHours ?? 0).DefaultIfEmpty(0).Max());
    }
}
