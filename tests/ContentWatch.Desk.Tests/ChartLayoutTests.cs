using ContentWatch.Core.Review;
using ContentWatch.Web.Desk;

namespace ContentWatch.Desk.Tests;

public sealed class ChartLayoutTests
{
    private static readonly string[] Days = ["2026-11-26", "2026-11-27", "2026-11-28"];

    [Fact]
    public void Precision_DrawsADotOnlyOnDaysWithDecisions_AtTheShare_LabelledWithItsCount()
    {
        var chart = new PrecisionChart(Days, [new DayDecisions("2026-11-26", 1, 0), new DayDecisions("2026-11-27", 0, 0), new DayDecisions("2026-11-28", 3, 1)]);

        Assert.Equal(2, chart.Points.Count);
        var (one, four) = (chart.Points[0], chart.Points[1]);
        Assert.Equal(1, one.Decisions);
        Assert.Equal(4, four.Decisions);
        Assert.True(four.Radius > one.Radius);
        var top = chart.GridLines[0].Y;
        Assert.Equal(top, one.Y, 2);
        Assert.Equal(chart.AxisY - (0.75 * (chart.AxisY - top)), four.Y, 2);
        Assert.Equal("2026-11-28: 75% (3 confirmed of 4 decided)", four.Title);
        Assert.Equal("Model precision per day over 3 days: 2 days with decisions on flagged items, from 75% to 100%; 80.0% overall (4 confirmed of 5 decided).", chart.Summary);
    }

    [Fact]
    public void Precision_WithoutDecisions_HasNoDots_NotZeroPercent()
    {
        var chart = new PrecisionChart(Days, []);

        Assert.Empty(chart.Points);
        Assert.Contains("no decisions", chart.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void HorizontalBars_AreInProportionToMax_AndANullValueDrawsNoBar()
    {
        var chart = new HorizontalBarChart("Median time to removal", [("alpha", 10, "10 h"), ("beta", 5, "5 h"), ("gamma", null, "no removals")], 10);

        Assert.Equal(3, chart.Rows.Count);
        Assert.Equal(chart.Rows[0].Width!.Value / 2, chart.Rows[1].Width!.Value, 2);
        Assert.Null(chart.Rows[2].Width);
        Assert.True(chart.Rows[1].Y > chart.Rows[0].Y);
        Assert.True(chart.Rows[0].ValueX > chart.Rows[1].ValueX);
        Assert.Equal("Median time to removal: alpha 10 h; beta 5 h; gamma no removals.", chart.Summary);
    }

    [Fact]
    public void HorizontalBars_CutLongNames_ButKeepThemInTheTitle()
    {
        var name = new string('p', 40);

        var row = Assert.Single(new HorizontalBarChart("Removal rate", [(name, 0.5, "50%")], 1).Rows);

        Assert.Equal(HorizontalBarChart.MaxLabelLength, row.Label.Length);
        Assert.EndsWith("…", row.Label, StringComparison.Ordinal);
        Assert.Equal(name + ": 50%", row.Title);
    }
}
