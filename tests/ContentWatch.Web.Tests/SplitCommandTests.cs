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
        var corpusRows = Directory.GetFiles(corpus, "*.jsonl", SearchOption.AllDirectories).Sum(f => File.ReadLines(f).Count(l => l.Trim().Length > 0));
        Assert.Equal(corpusRows, train.Count + dev.Count);
        Assert.NotEmpty(dev);
        Assert.Empty(Ids(train).Intersect(Ids(dev)));
        Assert.Empty(Groups(train).Intersect(Groups(dev)));
        Assert.All(train.Concat(dev), r => Assert.False(string.IsNullOrEmpty((string?)r["lang"])));
    }

    [Fact]
    public async Task Split_WithTests_WritesEveryTestRow_WithTheTrainingLabelMapping()
    {
        var corpus = Path.Combine(RepoPaths.Root, "models", "corpus");
        var data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "emscad_clean_balanced_test.csv"),
            "row_id,info251_split,text,fraudulent\n1,test,\"Data entry from home, pay the 50 USD starter kit first\",1\n2,test,Registered nurse for a city hospital,0\n");
        await File.WriteAllTextAsync(Path.Combine(data, "sib200_benign_multilingual_test.csv"),
            "lang,index_id,category,text,sib_split\n" + string.Join("", Enumerable.Range(1, 6).Select(i => $"fra_Latn,{i},travel,Phrase numéro {i},test\n")));
        await File.WriteAllTextAsync(Path.Combine(data, "emscad_clean_balanced_train.csv"), "row_id,info251_split,text,fraudulent\n9,train,Chef wanted,0\n");

        var (exit, output, error) = await RunAsync("split", "--out", Path.Combine(_folder, "t"), "--corpus", corpus, "--data", data, "--tests");

        Assert.True(exit == 0, error);
        Assert.Contains("test-emscad_clean_balanced_test.jsonl (2 rows)", output);
        Assert.Contains("test-sib200_benign_multilingual_test.jsonl (6 rows)", output); // no subsampling for test figures
        var emscad = Read(Path.Combine(_folder, "t", "test-emscad_clean_balanced_test.jsonl"));
        Assert.Equal(["fake_job_offer", "benign"], emscad.Select(r => (string)r["label"]!));
        Assert.All(Read(Path.Combine(_folder, "t", "test-sib200_benign_multilingual_test.jsonl")), r => Assert.Equal("fra_Latn", (string)r["lang"]!));
        Assert.DoesNotContain(Read(Path.Combine(_folder, "t", "train.jsonl")).Concat(Read(Path.Combine(_folder, "t", "dev.jsonl"))),
            r => ((string)r["id"]!).StartsWith("emscad_clean:1", StringComparison.Ordinal) || ((string)r["source"]!) == "sib200");
    }

    [Fact]
    public async Task Split_WithoutOut_IsAUsageError()
    {
        var (exit, _, error) = await RunAsync("split");
        Assert.Equal(2, exit);
        Assert.Contains("'--out' is required", error);
    }

    private static List<JsonNode> Read(string path) => File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToList();

    private static HashSet<string> Ids(List<JsonNode> rows) => rows.Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Groups(List<JsonNode> rows) => rows.Select(r => (string)r["group"]!).ToHashSet(StringComparer.Ordinal);

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliProcess.RunAsync(_folder, args);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
