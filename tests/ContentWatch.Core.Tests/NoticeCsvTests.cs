using ContentWatch.Core.Export;

namespace ContentWatch.Core.Tests;

public sealed class NoticeCsvTests
{
    [Fact]
    public async Task Csv_has_the_notice_fields_and_defuses_formulas()
    {
        var at = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var notice = new Notice("r1", "i1", "https://x.example/p", "smuggling_service", "=HYPERLINK(\"evil\")", new Notifier("Unit", "u@unit.example.org"),
            "good faith", true, "abc", at, at.AddHours(1));
        var writer = new StringWriter();
        await NoticeCsv.WriteAsync(new ExportDocument("e1", "x", at, [notice]), writer, CancellationToken.None);
        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', NoticeCsv.Columns), lines[0]);
        Assert.Contains("\"'=HYPERLINK(\"\"evil\"\")\"", lines[1]);
        Assert.Contains(",true,abc,2026-11-28T09:00:00.0000000+00:00,2026-11-28T10:00:00.0000000+00:00", lines[1]);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    public async Task Every_formula_start_is_defused_in_every_column(string hostile)
    {
        var at = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
        var notice = new Notice("r1", "i1", hostile, "smuggling_service", hostile, new Notifier(hostile, "u@unit.example.org"), "good faith", true, "abc", at, at);
        var writer = new StringWriter();
        await NoticeCsv.WriteAsync(new ExportDocument("e1", "x", at, [notice]), writer, CancellationToken.None);
        using var reader = new CsvHelper.CsvReader(new StringReader(writer.ToString()), System.Globalization.CultureInfo.InvariantCulture);
        reader.Read();
        reader.ReadHeader();
        reader.Read();
        foreach (var column in new[] { "url", "explanation", "notifierName" })
        {
            Assert.Equal("'" + hostile, reader.GetField(column));
        }
    }
}
