using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Reports;
using ContentWatch.Web.Desk;

namespace ContentWatch.Web.Reports;

/// <summary>
/// The transparency report as one self-contained HTML page that prints well: the desk dashboard's per-platform SVG charts
/// (removal rate, median time to removal; the same <see cref="HorizontalBarChart"/> layout), then the figures as tables.
/// Every name is encoded.
/// </summary>
public static class TransparencyHtml
{
    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #1d2733; margin: 2rem; max-width: 72rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        .muted { color: #56616e; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid #d5dbe3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td.num, th.num { text-align: right; }
        .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
        .chart { width: 100%; height: auto; display: block; }
        .chart .axis { stroke: #8a96a3; stroke-width: 1; }
        .chart .name, .chart .value { font-size: 15px; fill: #1d2733; }
        .series-0 { fill: #2f6fb0; }
        @media print {
          body { margin: 0; font-size: 11px; } .charts { grid-template-columns: 1fr 1fr; }
          section, tr { break-inside: avoid; } thead { display: table-header-group; }
          @page { size: A4 landscape; margin: 12mm; }
        }
        """;

    private static readonly string[] Outcomes = [ReferralStatus.Exported, .. ReferralStatus.Reportable];

    public static string Render(TransparencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Transparency report</title><style>")
            .Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>Transparency report on notices</h1>\n<p class=\"muted\">")
            .Append(e.Encode(report.Notifier)).Append(", notices sent from ").Append(Day(report.From)).Append(" to ").Append(Day(report.To))
            .Append(" (end excluded); generated ").Append(report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Append(". Removal rates are removals over notices sent, as the platform reported them or as ContentWatch observed them (the URL gone on consecutive re-checks). ")
            .Append("Times run from the notice to the removal. Precision is confirmed ÷ (confirmed + rejected) of officers' first decisions on items the model flagged, by the model's label.</p>\n");

        var t = report.Total;
        html.Append("<p><strong>").Append(t.NoticesSent).Append("</strong> notices; removal rate <strong>").Append(DeskFormat.Percent(t.RemovalRate))
            .Append("</strong> (reported ").Append(DeskFormat.Percent(t.RemovalRateReported)).Append(", observed ").Append(DeskFormat.Percent(t.RemovalRateObserved))
            .Append("); median time to removal ").Append(Hours(t.MedianHoursToRemoval)).Append(", 90th percentile ").Append(Hours(t.P90HoursToRemoval))
            .Append("; ").Append(t.Overdue).Append(" overdue; precision of automated flags ").Append(DeskFormat.Percent(t.Precision, 1)).Append(".</p>\n");

        var rates = new HorizontalBarChart(
            "Removal rate per platform",
            [.. report.Platforms.Select(p => (p.Platform, p.RemovalRate, $"{DeskFormat.Percent(p.RemovalRate)} ({p.RemovedReported + p.RemovedObserved} of {p.NoticesSent})"))],
            1);
        var times = new HorizontalBarChart(
            "Median time to removal per platform",
            [.. report.Platforms.Select(p => (p.Platform, p.MedianHoursToRemoval, p.MedianHoursToRemoval is { } h ? DeskFormat.Duration(TimeSpan.FromHours(h)) : "no removals"))],
            report.Platforms.Select(p => p.MedianHoursToRemoval ?? 0).DefaultIfEmpty(0).Max());
        html.Append("<div class=\"charts\"><section><h2>Removal rate</h2>");
        Chart(html, rates);
        html.Append("</section><section><h2>Median time to removal</h2>");
        Chart(html, times);
        html.Append("</section></div>\n");

        Table(html, "Per platform", report.Platforms.Append(report.Total), false);
        Table(html, "Per platform, category and language", report.Lines, true);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Chart(StringBuilder html, HorizontalBarChart chart)
    {
        var e = HtmlEncoder.Default;
        html.Append("<svg class=\"chart hbar\" viewBox=\"").Append(chart.ViewBox).Append("\" role=\"img\" aria-label=\"").Append(e.Encode(chart.Summary))
            .Append("\" preserveAspectRatio=\"xMinYMin meet\"><title>").Append(e.Encode(chart.Summary)).Append("</title>")
            .Append("<line class=\"axis\" x1=\"").Append(BarChart.Format(HorizontalBarChart.AxisX)).Append("\" y1=\"0\" x2=\"")
            .Append(BarChart.Format(HorizontalBarChart.AxisX)).Append("\" y2=\"").Append(BarChart.Format(chart.Height)).Append("\"></line>");
        foreach (var row in chart.Rows)
        {
            var textY = BarChart.Format(row.Y + (HorizontalBarChart.BarHeight / 2) + 5);
            html.Append("<g class=\"row\"><title>").Append(e.Encode(row.Title)).Append("</title><text class=\"name\" x=\"")
                .Append(BarChart.Format(HorizontalBarChart.AxisX - 6)).Append("\" y=\"").Append(textY).Append("\" text-anchor=\"end\">").Append(e.Encode(row.Label)).Append("</text>");
            if (row.Width is { } width)
            {
                html.Append("<rect class=\"series-0\" x=\"").Append(BarChart.Format(HorizontalBarChart.AxisX)).Append("\" y=\"").Append(BarChart.Format(row.Y))
                    .Append("\" width=\"").Append(BarChart.Format(width)).Append("\" height=\"").Append(BarChart.Format(HorizontalBarChart.BarHeight)).Append("\"></rect>");
            }

            html.Append("<text class=\"value\" x=\"").Append(BarChart.Format(row.ValueX)).Append("\" y=\"").Append(textY).Append("\">").Append(e.Encode(row.ValueText)).Append("</text></g>");
        }

        html.Append("</svg>");
    }

    private static void Table(StringBuilder html, string caption, IEnumerable<TransparencyLine> lines, bool detailed)
    {
        var e = HtmlEncoder.Default;
        html.Append("<section><h2>").Append(e.Encode(caption)).Append("</h2><table><thead><tr><th scope=\"col\">Platform</th>");
        if (detailed)
        {
            html.Append("<th scope=\"col\">Category</th><th scope=\"col\">Language</th>");
        }

        html.Append("<th scope=\"col\" class=\"num\">Notices</th>");
        foreach (var outcome in Outcomes)
        {
            html.Append("<th scope=\"col\" class=\"num\">").Append(e.Encode(outcome)).Append("</th>");
        }

        html.Append("<th scope=\"col\" class=\"num\">Removal rate (reported / observed)</th><th scope=\"col\" class=\"num\">Median to removal</th>")
            .Append("<th scope=\"col\" class=\"num\">p90 to removal</th><th scope=\"col\" class=\"num\">Overdue</th><th scope=\"col\" class=\"num\">Flag precision</th></tr></thead><tbody>\n");
        foreach (var line in lines)
        {
            html.Append("<tr><th scope=\"row\">").Append(e.Encode(line.Platform == TransparencyReportService.All ? "All platforms" : line.Platform)).Append("</th>");
            if (detailed)
            {
                html.Append("<td>").Append(e.Encode(line.Category)).Append("</td><td>").Append(e.Encode(line.Language)).Append("</td>");
            }

            html.Append("<td class=\"num\">").Append(line.NoticesSent).Append("</td>");
            foreach (var outcome in Outcomes)
            {
                html.Append("<td class=\"num\">").Append(line.Outcomes.GetValueOrDefault(outcome)).Append("</td>");
            }

            html.Append("<td class=\"num\">").Append(DeskFormat.Percent(line.RemovalRate)).Append(" (").Append(DeskFormat.Percent(line.RemovalRateReported))
                .Append(" / ").Append(DeskFormat.Percent(line.RemovalRateObserved)).Append(")</td><td class=\"num\">").Append(Hours(line.MedianHoursToRemoval))
                .Append("</td><td class=\"num\">").Append(Hours(line.P90HoursToRemoval)).Append("</td><td class=\"num\">").Append(line.Overdue)
                .Append("</td><td class=\"num\">").Append(DeskFormat.Percent(line.Precision, 1)).Append(" (").Append(line.FlagsConfirmed).Append(" of ")
                .Append(line.FlagsConfirmed + line.FlagsRejected).Append(")</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static string Hours(double? hours) => hours is { } h ? DeskFormat.Duration(TimeSpan.FromHours(h)) : "–";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
