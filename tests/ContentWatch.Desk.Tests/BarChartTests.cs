using ContentWatch.Web.Desk;

namespace ContentWatch.Desk.Tests;

public sealed class BarChartTests
{
    [Fact]
    public void Days_RunFromTheFirstToTheLastDay_Inclusive()
    {
        var days = BarChart.Days(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-11-27", "2026-11-28", "2026-11-29"], days);
    }

    [Fact]
    public void Bars_AreStacked_InProportion_AndMissingDaysLeaveGaps()
    {
        string[] days = ["2026-11-27", "2026-11-28", "2026-11-29"];
        var chart = new BarChart(days, new Dictionary<string, int[]> { ["2026-11-27"] = [2, 2], ["2026-11-29"] = [1, 0] }, ["confirmed", "rejected"]);

        Assert.Equal(4, chart.Max);
        Assert.Equal(3, chart.Bars.Count);
        var (first, second, third) = (chart.Bars[0], chart.Bars[1], chart.Bars[2]);
        Assert.Equal(first.Height, second.Height);
        Assert.Equal(first.Y, second.Y + second.Height, 2);
        Assert.Equal(chart.AxisY, first.Y + first.Height, 2);
        Assert.Equal(first.Height / 2, third.Height, 2);
        Assert.True(third.X > second.X);
        Assert.Equal("2026-11-29: 1 confirmed", third.Title);
        Assert.Equal(1, second.Series);
    }

    [Fact]
    public void EmptyData_DrawsNoBars()
    {
        var chart = new BarChart(["2026-11-28"], new Dictionary<string, int[]>(), ["flagged"]);

        Assert.Empty(chart.Bars);
        Assert.Equal(1, chart.Max);
    }
}
