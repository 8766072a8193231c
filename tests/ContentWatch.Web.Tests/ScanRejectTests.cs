using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Scans;

namespace ContentWatch.Web.Tests;

/// <summary>One bad line or entry is rejected and logged; the rest of the file, later files and other entries go in.</summary>
[Collection(InProcessHangfire.Name)]
public sealed class ScanRejectTests(ScanFixture service) : IClassFixture<ScanFixture>
{
    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    [Fact]
    public async Task Folder_scan_rejects_bad_lines_and_imports_the_rest_and_later_files()
    {
        var tag = Guid.NewGuid().ToString("N");
        string Line(int n, string text) => $$"""{"platform":"badbook","url":"https://bad.example/{{tag}}/{{n}}","text":"{{text}}"}""" + "\n";
        await File.WriteAllBytesAsync(Path.Combine(service.DropFolder, $"a-{tag}.jsonl"), Bytes(
            Line(1, "first " + tag),
            Line(2, @"lone \ud800 surrogate"),
            Line(3, "raw ").TrimEnd('\n')[..^2], new byte[] { 0xFF }, "\"}\n",
            Line(4, "fourth " + tag)));
        await File.WriteAllBytesAsync(Path.Combine(service.DropFolder, $"b-{tag}.csv"), Bytes(
            $"platform,url,text\r\nbadbook,https://bad.example/{tag}/5,\"fifth {tag}\"\r\n",
            $"badbook,https://bad.example/{tag}/6,raw ", new byte[] { 0xC3, 0x28 }, "\r\n",
            $"badbook,https://bad.example/{tag}/7,\"unterminated\r\n",
            $"badbook,https://bad.example/{tag}/8,eighth {tag}\r\n"));
        await File.WriteAllTextAsync(Path.Combine(service.DropFolder, $"c-{tag}.jsonl"), Line(9, "ninth " + tag));

        var result = await service.Services.GetRequiredService<FolderScanService>().ScanAsync(CancellationToken.None);
        Assert.Equal(5, result.Stored);
        Assert.Equal(4, result.Rejected);

        using var admin = service.Admin();
        var urls = (await admin.GetJsonAsync("/api/items?platform=badbook&limit=500"))["items"]!.AsArray()
            .Select(i => i!["url"]!.GetValue<string>()).Where(u => u.Contains(tag, StringComparison.Ordinal));
        Assert.Equal(["1", "4", "5", "8", "9"], urls.Select(u => u[(u.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Feed_scan_rejects_entries_with_invalid_unicode_and_takes_the_rest()
    {
        var tag = Guid.NewGuid().ToString("N");
        string Entry(int n, string text) => $$"""{"platform":"feedbad","url":"https://feedbad.example/{{tag}}/{{n}}","text":"{{text}}"}""";
        service.FeedBytes = Bytes("[", Entry(1, "one " + tag), ",", Entry(2, @"lone \ud800"), ",",
            Entry(3, "raw @@").Split("@@")[0], new byte[] { 0xFF, 0xFE }, Entry(3, "raw @@").Split("@@")[1], ",", Entry(4, "four " + tag), "]");
        try
        {
            var feeds = service.Services.GetRequiredService<FeedScanService>();
            Assert.Equal(new ImportResult(2, 0, 2, 0), await feeds.ScanAsync("partner", CancellationToken.None));
            Assert.Equal(new ImportResult(0, 0, 2, 2), await feeds.ScanAsync("partner", CancellationToken.None));
        }
        finally
        {
            service.FeedBytes = null;
        }
    }
}
