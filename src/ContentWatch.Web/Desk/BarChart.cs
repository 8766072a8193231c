using System.Globalization;

namespace ContentWatch.Web.Desk;

/// <summary>One rectangle of a chart, in SVG user units; <see cref="Series"/> picks its colour class.</summary>
public sealed record ChartBar(double X, double Y, double Width, double Height, int Series, string Title);

/// <summary>A text label placed in the chart.</summary>
public sealed record ChartLabel(double X, double Y, string Text);

/// <summary>
/// A stacked bar chart per day, laid out on the server and drawn by the page as SVG rectangles (no script, no inline
/// style). Days without data are drawn as gaps, so the time axis is even.
/// </summary>
public sealed class BarChart
{
    public const double Width = 720;
    public const double Height = 180;
    private const double Left = 36;
    private const double Bottom = 24;
    private const double Top = 8;

    public IReadOnlyList<ChartBar> Bars { get; }

    public IReadOnlyList<ChartLabel> XLabels { get; }

    public IReadOnlyList<ChartLabel> YLabels { get; }

    public double AxisY => Height - Bottom;

    public static double AxisX => Left;

    public int Max { get; }

    /// <summary>A sentence for screen readers: the totals per series over the days shown, and the largest day.</summary>
    public string Summary { get; }

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Height}");

    /// <param name="days">Every day shown, oldest first (<c>yyyy-MM-dd</c>).</param>
    /// <param name="values">Per day, one value per series; a day missing here counts as zero.</param>
    /// <param name="seriesNames">Names of the series, for the bars' titles.</param>
    public BarChart(IReadOnlyList<string> days, IReadOnlyDictionary<string, int[]> values, IReadOnlyList<string> seriesNames)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(seriesNames);
        Max = Math.Max(1, days.Select(d => values.TryGetValue(d, out var v) ? v.Sum() : 0).DefaultIfEmpty(0).Max());
        var plotHeight = Height - Bottom - Top;
        var slot = (Width - Left) / Math.Max(1, days.Count);
        var bars = new List<ChartBar>();
        var xLabels = new List<ChartLabel>();
        for (var i = 0; i < days.Count; i++)
        {
            var x = Left + (i * slot) + (slot * 0.15);
            var y = AxisY;
            if (values.TryGetValue(days[i], out var dayValues))
            {
                for (var s = 0; s < dayValues.Length; s++)
                {
                    var h = dayValues[s] * plotHeight / Max;
                    if (dayValues[s] == 0)
                    {
                        continue;
                    }

                    y -= h;
                    bars.Add(new ChartBar(Round(x), Round(y), Round(slot * 0.7), Round(h), s, $"{days[i]}: {dayValues[s]} {seriesNames[s]}"));
                }
            }

            if (i % Math.Max(1, days.Count / 6) == 0)
            {
                xLabels.Add(new ChartLabel(Round(x), Height - 6, days[i][5..]));
            }
        }

        var totals = seriesNames.Select((name, s) => $"{days.Sum(d => values.TryGetValue(d, out var v) && s < v.Length ? v[s] : 0)} {name}");
        Summary = $"{days.Count} days: {string.Join(", ", totals)}; at most {Max} on one day.";
        Bars = bars;
        XLabels = xLabels;
        YLabels = [new ChartLabel(Left - 4, Top + 10, Max.ToString(CultureInfo.InvariantCulture)), new ChartLabel(Left - 4, AxisY, "0")];
    }

    /// <summary>The UTC days from <paramref name="since"/> to <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<string> Days(DateTimeOffset since, DateTimeOffset now)
    {
        var days = new List<string>();
        for (var d = since.UtcDateTime.Date; d <= now.UtcDateTime.Date; d = d.AddDays(1))
        {
            days.Add(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return days;
    }

    public static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 2);
}
