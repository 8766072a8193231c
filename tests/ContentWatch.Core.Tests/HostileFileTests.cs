using System.Text;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Tests;

/// <summary>Import files with lines no decoder should accept: each is rejected by its line number; nothing else is lost.</summary>
public sealed class HostileFileTests
{
    private static async Task<List<FileRecord>> ReadAsync(byte[] content, bool csv)
    {
        var records = new List<FileRecord>();
        await foreach (var r in ReportFileReader.ReadAsync(new MemoryStream(content), csv, CancellationToken.None))
        {
            records.Add(r);
        }

        return records;
    }

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    [Fact]
    public async Task Jsonl_line_with_invalid_utf8_is_rejected_not_replaced()
    {
        var records = await ReadAsync(Bytes(
            "{\"platform\":\"x\",\"url\":\"https://x.example/1\",\"text\":\"a\"}\n",
            "{\"platform\":\"x\",\"url\":\"https://x.example/2\",\"text\":\"b ", new byte[] { 0xFF }, "\"}\n",
            "{\"platform\":\"x\",\"url\":\"https://x.example/3\",\"text\":\"c ", new byte[] { 0xED, 0xA0, 0x80 }, "\"}\n",
            "{\"platform\":\"x\",\"url\":\"https://x.example/4\",\"text\":\"d \uFFFD\"}\n"), csv: false);
        Assert.Equal([1L, 2L, 3L, 4L], records.Select(r => r.Line));
        Assert.NotNull(records[0].Report);
        Assert.Null(records[1].Report);
        Assert.Null(records[2].Report);
        Assert.Contains("UTF-8", records[1].Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("d \uFFFD", records[3].Report!.Text); // a reported replacement character is kept as reported
    }

    [Theory]
    [InlineData("""{"platform":"x","url":"https://x.example/1","text":"a \ud800 b"}""", "text")]
    [InlineData("""{"platform":"x","url":"https://x.example/1","text":"a","reporter":{"name":"\udc00"}}""", "reporter.name")]
    [InlineData("""{"platform":"x","url":"https://x.example/1","text":"a","text":"b"}""", "text")]
    [InlineData("""{"platform":"x","url":"https://x.example/1","text":"a","title":"\ud83d"}""", "title")]
    public async Task Jsonl_line_with_a_lone_surrogate_or_a_duplicate_key_is_rejected_naming_the_field(string line, string field)
    {
        var records = await ReadAsync(Bytes(line, "\n{\"platform\":\"x\",\"url\":\"https://x.example/2\",\"text\":\"fine\"}\n"), csv: false);
        Assert.Null(records[0].Report);
        Assert.Contains(records[0].Errors, e => e.Field == field);
        Assert.NotNull(records[1].Report);
    }

    [Fact]
    public async Task Csv_record_with_invalid_utf8_is_rejected_with_its_line()
    {
        var records = await ReadAsync(Bytes(
            "platform,url,text\r\n",
            "x,https://x.example/1,\"multi\nline ", new byte[] { 0xC3, 0x28 }, "\"\r\n",
            "x,https://x.example/2,fine\r\n"), csv: true);
        Assert.Equal([2L, 4L], records.Select(r => r.Line));
        Assert.Null(records[0].Report);
        Assert.Contains("UTF-8", records[0].Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("fine", records[1].Report!.Text);
    }

    [Fact]
    public async Task Csv_unterminated_quote_is_rejected_with_its_line_and_the_rows_after_it_are_read()
    {
        var records = await ReadAsync(Bytes(
            "platform,url,text\r\n",
            "x,https://x.example/1,one\r\n",
            "x,https://x.example/2,\"never closed\r\n",
            "x,https://x.example/3,three\r\n",
            "x,https://x.example/4,\"multi\nline\"\r\n"), csv: true);
        Assert.Equal([2L, 3L, 4L, 5L], records.Select(r => r.Line));
        Assert.NotNull(records[0].Report);
        Assert.Null(records[1].Report);
        Assert.Contains("quote", records[1].Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("three", records[2].Report!.Text);
        Assert.Equal("multi\nline", records[3].Report!.Text);
    }

    [Fact]
    public async Task Csv_text_after_a_closing_quote_is_rejected_with_its_line()
    {
        var records = await ReadAsync(Bytes("platform,url,text\n", "x,https://x.example/1,\"one\"two\n", "x,https://x.example/2,fine\n"), csv: true);
        Assert.Null(records[0].Report);
        Assert.Equal(2L, records[0].Line);
        Assert.Equal("fine", records[1].Report!.Text);
    }
}
