using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Scans;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>
/// On SQLite every worker node runs its own folder scan schedule. Two nodes scanning the same drop folder at once must
/// import each report once: each chunk's mark is inserted in the same transaction as its reports, under the write lock.
/// </summary>
[Collection(InProcessHangfire.Name)]
public sealed class TwoNodeScanTests : IDisposable
{
    private const int Reports = 3_500;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "contentwatch-two-node-scan", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task TwoNodes_ScanningOneFolderAtOnce_ImportEachReportOnce()
    {
        var drop = Directory.CreateDirectory(Path.Combine(_root, "drop")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(drop, "reports.jsonl"), Enumerable.Range(0, Reports).Select(i => ApiClient.Json(new
        {
            platform = "scanbook",
            url = $"https://scan.example/p/{i}",
            text = $"Work in Poland, no visa needed, fee 300 euro, call +48 500 000 {i:000}. Item {i}",
        })));
        File.SetLastWriteTimeUtc(Path.Combine(drop, "reports.jsonl"), DateTime.UtcNow.AddMinutes(-1));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Path.Combine(_root, "data"),
            ["Scans:Folder:Path"] = drop,
        }).Build();
        await using var first = Node(configuration);
        await using var second = Node(configuration);
        await first.PrepareStorageAsync(configuration, CancellationToken.None);

        var results = await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<FolderScanService>().ScanAsync(CancellationToken.None)),
            Task.Run(() => second.GetRequiredService<FolderScanService>().ScanAsync(CancellationToken.None)));

        Assert.Equal(Reports, results.Sum(r => r.Stored));
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_root, "data", "contentwatch.db")};Pooling=False");
        Assert.Equal(Reports, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM reports"));
        Assert.Equal(Reports, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM items"));
    }

    private static ServiceProvider Node(IConfiguration configuration) => new ServiceCollection()
        .AddSingleton(configuration)
        .AddContentWatch(configuration)
        .BuildServiceProvider();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
