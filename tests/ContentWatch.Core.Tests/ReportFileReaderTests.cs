using System.Text;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Tests;

public sealed class ReportFileReaderTests
{
    private static async Task<List<FileRecord>> ReadAsync(string content, bool csv)
    {
        var records = new List<FileRecord>();
        await foreach (var r in ReportFileReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), csv, CancellationToken.None))
        {
            records.Add(r);
        }

        return records;
    }

    [Fact]
    public async Task Jsonl_reports_carry_their_line_numbers_and_bad_lines_their_errors()
    {
        var records = await ReadAsync(
            "{\"platform\":\"x\",\"url\":\"https://x.example/1\",\"text\":\"a\"}\n\n{not json}\r\n{\"platform\":\"x\",\"url\":\"bad\",\"text\":\"c\"}\n",
            csv: false);
        Assert.Equal([1L, 3L, 4L], records.Select(r => r.Line));
        Assert.NotNull(records[0].Report);
        Assert.Equal("$", records[1].Errors.Single().Field);
        Assert.Equal("url", records[2].Errors.Single().Field);
    }

    [Fact]
    public async Task Overlong_jsonl_line_is_rejected_without_being_held()
    {
        var records = await ReadAsync(new string('x', ReportFileReader.MaxLineChars + 10) + "\n{\"platform\":\"x\",\"url\":\"https://x.example/\",\"text\":\"ok\"}", csv: false);
        Assert.Null(records[0].Report);
        Assert.NotNull(records[1].Report);
    }

    [Fact]
    public async Task Csv_maps_columns_including_the_reporter_and_multiline_text()
    {
        var records = await ReadAsync(
            "platform,url,text,kind,reporter.name,reporter_email\r\n" +
            "x,https://x.example/1,\"line one\nline two, with comma\",job_ad,Ana,ana@ngo.example.org\r\n" +
            "x,not-a-url,t,,,\r\n",
            csv: true);
        Assert.Equal(2, records.Count);
        var first = records[0].Report!;
        Assert.Equal("line one\nline two, with comma", first.Text);
        Assert.Equal("job_ad", first.Kind);
        Assert.Equal(new Reporter("Ana", "ana@ngo.example.org", null), first.Reporter);
        Assert.Equal("url", records[1].Errors.Single().Field);
        Assert.Equal(4, records[1].Line);
    }
}
