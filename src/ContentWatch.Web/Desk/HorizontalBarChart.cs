using System.Globalization;

namespace ContentWatch.Web.Desk;

/// <summary>One row of a <see cref="HorizontalBarChart"/>: a bar (none when <see cref="Width"/> is null) and its value as text.</summary>
public sealed record ChartRow(string Label, double Y, double? Width, string ValueText, double ValueX, string Title);

/// <summary>
/// One horizontal bar per name (a platform), labelled at the left with the value written after the bar, laid out on the
/// server as SVG. Names are cut to <see cref="MaxLabelLength"/> characters; the row's title keeps the whole name.
/// </summary>
public sealed class HorizontalBarChart
{
    public const double Width = 600;
    public const double RowHeight = 26;
    public const double BarHeight = 16;
    public const double LabelWidth = 170;
    public const int MaxLabelLength = 22;
    private const double ValueWidth = 120;

    public IReadOnlyList<ChartRow> Rows { get; }

    public double Height => (Rows.Count * RowHeight) + 6;

    public static double AxisX => LabelWidth;

    public string ViewBox => string.Create(CultureInfo.InvariantCulture, $"0 0 {Width} {Height}");

    /// <summary>A sentence for screen readers naming every row's value.</summary>
    public string Summary { get; }

    /// <param name="title">What the chart shows, the start of <see cref="Summary"/>.</param>
    /// <param name="rows">Per name, its value (null draws no bar) and the value as text.</param>
    /// <param name="max">The value a full-length bar stands for; at least the largest value.</param>
    public HorizontalBarChart(string title, IReadOnlyList<(string Name, double? Value, string Text)> rows, double max)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var scale = (Width - LabelWidth - ValueWidth) / (max > 0 ? max : 1);
        Rows = rows.Select((r, i) =>
        {
            var width = r.Value is { } v ? Math.Round(Math.Max(0, v) * scale, 2) : (double?)null;
            return new ChartRow(
                Cut(r.Name),
                (i * RowHeight) + 6,
                width,
                r.Text,
                LabelWidth + (width ?? 0) + 6,
                $"{r.Name}: {r.Text}");
        }).ToList();
        Summary = rows.Count == 0 ? $"{title}: no platforms." : $"{title}: " + string.Join("; ", rows.Select(r => $"{r.Name} {r.Text}")) + ".";
    }

    /// <summary>The name, or its first characters and an ellipsis, never splitting a surrogate pair.</summary>
    private static string Cut(string name)
    {
        if (name.Length <= MaxLabelLength)
        {
            return name;
        }

        var cut = MaxLabelLength - 1;
        return name[..(char.IsHighSurrogate(name[cut - 1]) ? cut - 1 : cut)] + "…";
    }
}
