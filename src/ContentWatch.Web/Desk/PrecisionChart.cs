using System.Globalization;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk;

/// <summary>One day's precision: a dot at <see cref="Y"/> whose size and label give how many decisions it rests on.</summary>
public sealed record ChartPoint(double X, double Y, double Radius, int Decisions, string Title);

/// <summary>
/// The model's precision per day as officers measured it (confirmed / decided, first decisions on flagged items), laid
/// out on the server as SVG dots on a 0–100% scale. A day without decisions has no dot (it is unknown, not 0%); each dot
/// is labelled with its number of decisions, so a 1-of-1 day is not read as a trend.
/// </summary>
public sealed class PrecisionChart
{
    // wider than the bar charts: it takes the page's whole width, and its text should not grow with it
    public const double Width = 1080;
    public const double Height = 220;
    public const double Left = 44;
    private const double Bottom = 24;
    private const double Top = 22;

    public IReadOnlyList<ChartPoint> Points { get; }

    public IReadOnlyList<ChartLabel> XLabels { get; }

    /// <summary>The 0%, 50% and 100% lines, with their labels at the left.</summary>
    public IReadOnlyList<ChartLabel> GridLines { get; }

    public double AxisY => Height - Bottom;

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Height}");

    /// <summary>A sentence for screen readers: how many days had decisions, their range, and the overall figure.</summary>
    public string Summary { get; }

    /// <param name="days">Every day shown, oldest first (<c>yyyy-MM-dd</c>).</param>
    /// <param name="decided">First decisions on flagged items per day; days missing here had none.</param>
    public PrecisionChart(IReadOnlyList<string> days, IReadOnlyList<DayDecisions> decided)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(decided);
        var byDay = decided.Where(d => d.Confirmed + d.Rejected > 0).ToDictionary(d => d.Day);
        var plotHeight = Height - Bottom - Top;
        var slot = (Width - Left) / Math.Max(1, days.Count);
        var points = new List<ChartPoint>();
        var xLabels = new List<ChartLabel>();
        for (var i = 0; i < days.Count; i++)
        {
            var x = Left + (i * slot) + (slot / 2);
            if (byDay.TryGetValue(days[i], out var d))
            {
                var n = d.Confirmed + d.Rejected;
                var share = (double)d.Confirmed / n;
                points.Add(new ChartPoint(
                    Round(x),
                    Round(AxisY - (share * plotHeight)),
                    Round(Math.Min(8, 2.5 + Math.Sqrt(n))),
                    n,
                    $"{days[i]}: {DeskFormat.Percent(share)} ({d.Confirmed} confirmed of {n} decided)"));
            }

            if (i % Math.Max(1, days.Count / 6) == 0)
            {
                xLabels.Add(new ChartLabel(Round(Left + (i * slot) + (slot * 0.15)), Height - 6, days[i][5..]));
            }
        }

        Points = points;
        XLabels = xLabels;
        GridLines = [new ChartLabel(Left, Top, "100%"), new ChartLabel(Left, Round(Top + (plotHeight / 2)), "50%"), new ChartLabel(Left, AxisY, "0%")];
        var confirmed = byDay.Values.Sum(v => v.Confirmed);
        var total = byDay.Values.Sum(v => v.Confirmed + v.Rejected);
        Summary = points.Count == 0
            ? $"Model precision per day over {days.Count} days: no decisions on flagged items yet."
            : $"Model precision per day over {days.Count} days: {points.Count} days with decisions on flagged items, " +
              $"from {DeskFormat.Percent(byDay.Values.Min(Share))} to {DeskFormat.Percent(byDay.Values.Max(Share))}; " +
              $"{DeskFormat.Percent((double)confirmed / total, 1)} overall ({confirmed} confirmed of {total} decided).";
    }

    private static double Share(DayDecisions d) => (double)d.Confirmed / (d.Confirmed + d.Rejected);

    private static double Round(double value) => Math.Round(value, 2);
}
