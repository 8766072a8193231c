using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Scans;

namespace ContentWatch.Web.Tests;

/// <summary>The service with a drop folder and an HTTP feed served by a local fake on 127.0.0.1.</summary>
public class ScanFixture : ServiceFixture
{
    private WebApplication? _feed;

    public string DropFolder => Path.Combine(DataDirectory, "drop");

    /// <summary>What the fake feed answers; tests change it.</summary>
    public string FeedBody { get; set; } = "[]";

    /// <summary>When set, what the fake feed answers instead of <see cref="FeedBody"/>, byte for byte.</summary>
    public byte[]? FeedBytes { get; set; }

    public int FeedRequests { get; private set; }

    public override async Task InitializeAsync()
    {
        _feed = await LocalServer.StartAsync(app => app.MapGet("/feed", (HttpContext context) =>
        {
            FeedRequests++;
            return context.Request.Headers.Authorization == "Token feed-secret"
                ? Results.Bytes(FeedBytes ?? System.Text.Encoding.UTF8.GetBytes(FeedBody), "application/json")
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        }));
        Directory.CreateDirectory(DropFolder);
        await base.InitializeAsync();
    }

    protected override IEnumerable<string> ExtraArguments()
    {
        var feedUrl = _feed!.Address() + "/feed";
        return
        [
            "--Scans:Folder:Path=" + DropFolder,
            "--Scans:Folder:SettleSeconds=0",
            "--Scans:Feeds:0:Name=partner",
            "--Scans:Feeds:0:Url=" + feedUrl,
            "--Scans:Feeds:0:Headers:Authorization=Token feed-secret",
        ];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}

[Collection(InProcessHangfire.Name)]
public sealed class ScanTests(ScanFixture service) : IClassFixture<ScanFixture>
{
    [Fact]
    public async Task Folder_scan_imports_each_file_once_and_reports_rejects()
    {
        var tag = Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(service.DropFolder, $"{tag}.jsonl"),
            $"{{\"platform\":\"scanbook\",\"url\":\"https://scan.example/{tag}/1\",\"text\":\"first {tag}\"}}\n" +
            "{\"platform\":\"scanbook\",\"url\":\"relative\",\"text\":\"bad\"}\n");
        await File.WriteAllTextAsync(Path.Combine(service.DropFolder, $"{tag}.csv"),
            $"platform,url,text\r\nscanbook,https://scan.example/{tag}/2,\"second {tag}\"\r\nscanbook,https://scan.example/{tag}/1,dup\r\n");
        await File.WriteAllTextAsync(Path.Combine(service.DropFolder, $"{tag}.txt"), "ignored");

        var folder = service.Services.GetRequiredService<FolderScanService>();
        var first = await folder.ScanAsync(CancellationToken.None);
        Assert.Equal(2, first.Stored);
        Assert.Equal(1, first.Duplicates);
        Assert.Equal(1, first.Rejected);
        var second = await folder.ScanAsync(CancellationToken.None);
        Assert.Equal(0, second.Stored);
        Assert.Equal(0, second.Duplicates);
        Assert.True(second.AlreadyTaken >= 2);

        using var admin = service.Admin();
        var items = (await admin.GetJsonAsync("/api/items?platform=scanbook&limit=500"))["items"]!.AsArray();
        var mine = items.Where(i => i!["url"]!.GetValue<string>().Contains(tag, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal(2, mine.Single(i => i!["url"]!.GetValue<string>().EndsWith("/1", StringComparison.Ordinal))!["reportCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Feed_scan_takes_each_entry_once()
    {
        var tag = Guid.NewGuid().ToString("N");
        service.FeedBody = new JsonArray(
            new JsonObject { ["platform"] = "feedbook", ["url"] = $"https://feed.example/{tag}/1", ["text"] = "one " + tag },
            new JsonObject { ["platform"] = "feedbook", ["url"] = "not a url", ["text"] = "bad" }).ToJsonString();
        var feeds = service.Services.GetRequiredService<FeedScanService>();
        var first = await feeds.ScanAsync("partner", CancellationToken.None);
        Assert.Equal(new ImportResult(1, 0, 1, 0), first);

        service.FeedBody = new JsonArray(
            new JsonObject { ["platform"] = "feedbook", ["url"] = $"https://feed.example/{tag}/1", ["text"] = "one " + tag },
            new JsonObject { ["platform"] = "feedbook", ["url"] = $"https://feed.example/{tag}/2", ["text"] = "two " + tag }).ToJsonString();
        var second = await feeds.ScanAsync("partner", CancellationToken.None);
        Assert.Equal(new ImportResult(1, 0, 0, 1), second);
        Assert.True(service.FeedRequests >= 2);

        using var admin = service.Admin();
        using var response = await admin.Http.GetAsync("/api/items?platform=feedbook&limit=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
