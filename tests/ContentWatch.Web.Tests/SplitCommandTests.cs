using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary><c>contentwatch split</c> as a user runs it: a real process writing into a temp folder.</summary>
public sealed class SplitCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("contentwatch-split-").FullName;

    [Fact]
    public async Task Split_WritesTheSameDisjointFiles_OnEveryRun()
    {
        var corpus = Path.Combine(RepoPaths.Root, "models", "corpus");
        var noPublicData = Path.Combine(_folder, "no-public-data");
        var (exit, output, error) = await RunAsync("split", "--out", Path.Combine(_folder, "a"), "--corpus", corpus, "--data", noPublicData);
        Assert.True(exit == 0, error);
        Assert.Contains("warning: public data directory", error);
        Assert.Matches(@"wrote .*train\.jsonl \(\d+ rows\) and .*dev\.jsonl \(\d+ rows\)", output);
        (exit, _, error) = await RunAsync("split", "--out", Path.Combine(_folder, "b"), "--corpus", corpus, "--data", noPublicData);
        Assert.True(exit == 0, error);

        foreach (var name in new[] { "train.jsonl", "dev.jsonl" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_folder, "a", name)), await File.ReadAllBytesAsync(Path.Combine(_folder, "b", name)));
        }

        var train = Read(Path.Combine(_folder, "a", "train.jsonl"));
        var dev = Read(Path.Combine(_folder, "a", "dev.jsonl"));
        var corpusRows = Directory.GetFiles(corpus, "*.jsonl").Sum(f => File.ReadLines(f).Count(l => l.Trim().Length > 0));
        Assert.Equal(corpusRows, train.Count + dev.Count);
        Assert.NotEmpty(dev);
        Assert.Empty(Ids(train).Intersect(Ids(dev)));
        Assert.Empty(Groups(train).Intersect(Groups(dev)));
        Assert.All(train.Concat(dev), r => Assert.False(string.IsNullOrEmpty((string?)r["lang"])));
    }

    [Fact]
    public async Task Split_WithoutOut_IsAUsageError()
    {
        var (exit, _, error) = await RunAsync("split");
        Assert.Equal(2, exit);
        Assert.Contains("--out is required", error);
    }

    private static List<JsonNode> Read(string path) => File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToList();

    private static HashSet<string> Ids(List<JsonNode> rows) => rows.Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Groups(List<JsonNode> rows) => rows.Select(r => (string)r["group"]!).ToHashSet(StringComparer.Ordinal);

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        info.ArgumentList.Add(RepoPaths.CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
