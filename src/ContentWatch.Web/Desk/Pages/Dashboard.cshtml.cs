using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>
/// The last <see cref="Days"/> days: items flagged, decisions, the model's precision per day, and platforms' removal
/// rates and median times to removal.
/// </summary>
public sealed class DashboardModel(IDeskStore desk, Core.Models.IModelStore models, TimeProvider time) : PageModel
{
    public const int Days = 30;

    public DashboardFigures Figures { get; private set; } = null!;

    public BarChart Flagged { get; private set; } = null!;

    public BarChart Decisions { get; private set; } = null!;

    public PrecisionChart Precision { get; private set; } = null!;

    public HorizontalBarChart RemovalRates { get; private set; } = null!;

    public HorizontalBarChart TimesToRemoval { get; private set; } = null!;

    /// <summary>Verdict scores of the items classified in the period, in ten bins.</summary>
    public HorizontalBarChart ScoreDistribution { get; private set; } = null!;

    /// <summary>Officers' precision on flagged items per model version.</summary>
    public HorizontalBarChart ModelPrecision { get; private set; } = null!;

    public Core.Models.ModelFigures ModelFigures { get; private set; } = null!;

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
        ModelFigures = await models.GetFiguresAsync(since, cancellationToken);
        var bins = ModelFigures.Scores;
        ScoreDistribution = new HorizontalBarChart(
            "Verdict scores of items classified",
            [.. bins.Select(b => (FormattableString.Invariant($"{b.From:0.0}–{b.From + 0.1:0.0}"), (double?)b.Count, b.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            bins.Select(b => b.Count).DefaultIfEmpty(0).Max());
        ModelPrecision = new HorizontalBarChart(
            "Officer-measured precision per model version",
            [.. ModelFigures.Precision.Select(p => (p.Model, p.Precision, $"{DeskFormat.Percent(p.Precision)} ({p.Confirmed} of {p.Confirmed + p.Rejected})"))],
            1);
    }
}
