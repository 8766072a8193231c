using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary><c>contentwatch train --decisions</c> as a user runs it: a real process, the committed training sample, a small decisions file.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-train-cli", Guid.NewGuid().ToString("N"));

    public TrainCommandTests() => Directory.CreateDirectory(_folder);

    public static string SampleCorpus => Path.Combine(RepoPaths.Root, "tests", "ContentWatch.Classifier.Tests", "Data", "sample_corpus");

    /// <summary>The metadata.json of a model file.</summary>
    public static JsonNode Metadata(string model)
    {
        using var zip = ZipFile.OpenRead(model);
        using var stream = zip.GetEntry("metadata.json")!.Open();
        return JsonNode.Parse(stream)!;
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliProcess.RunAsync(_folder, args);

    private static string Line(string decisionId, string text, string label, string platform, string decidedAt) => JsonSerializer.Serialize(new
    {
        id = "desk:" + decisionId, text, label, lang = "en", kind = "post", writer = "desk", decisionId, officer = "key:o1", decidedAt,
        itemId = "item-" + decisionId, platform, language = "en",
    });

    [Fact]
    public async Task Train_with_decisions_adds_them_and_records_the_decision_set_in_the_metadata()
    {
        var corpusText = JsonNode.Parse(File.ReadLines(Path.Combine(SampleCorpus, "smuggling_service.jsonl")).First())!["text"]!.GetValue<string>();
        var decisions = Path.Combine(_folder, "examples.jsonl");
        await File.WriteAllLinesAsync(decisions,
        [
            Line("d01", "Lorry to England from Calais tonight, 2000 per person, pay the office after arrival", "smuggling_service", "telegram", "2026-12-01T09:00:00.000Z"),
            Line("d02", "Original EU passports and residence cards, registered in the system, fast delivery", "document_fraud", "facebook", "2026-12-02T09:00:00.000Z"),
            Line("d03", "Warehouse jobs in Poland, visa guaranteed, send 400 euro processing fee first", "fake_job_offer", "tiktok", "2026-12-03T09:00:00.000Z"),
            Line("d04", "Community football match on Saturday, everyone welcome, bring water", "benign", "x", "2026-12-04T09:00:00.000Z"),
            Line("d05", corpusText, "smuggling_service", "telegram", "2026-12-05T09:00:00.000Z"),
            Line("d06", "Original EU passports and residence cards, registered in the system, fast DELIVERY", "document_fraud", "x", "2026-12-06T09:00:00.000Z"),
            Line("d07", "Night crossing to Lampedusa, places left, pay on arrival", "smuggling_service", "telegram", "2026-12-20T09:00:00.000Z"),
            """{"text":"no provenance","label":"benign"}""",
        ]);
        var model = Path.Combine(_folder, "m.zip");

        var train = await RunAsync("train", "--corpus", SampleCorpus, "--data", "none", "--lexicon", "none", "--output", model,
            "--decisions", decisions, "--decisions-before", "2026-12-10", "--decision-weight", "4");

        Assert.True(train.Exit == 0, train.Err + train.Out);
        Assert.Contains("needs text, a known label, decisionId, platform and decidedAt, skipped", train.Out + train.Err);
        var metadata = Metadata(model);
        var set = metadata["decisions"]!;
        Assert.Equal("examples.jsonl", set["source"]!.GetValue<string>());
        Assert.Equal(6, set["count"]!.GetValue<int>());
        Assert.Equal(1, set["held_out"]!.GetValue<int>());
        Assert.Equal(1, set["in_corpus"]!.GetValue<int>());
        Assert.Equal(1, set["repeats"]!.GetValue<int>());
        Assert.Equal(4, set["used"]!.GetValue<int>());
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero), set["newest_decided_at"]!.GetValue<DateTimeOffset>());
        Assert.Equal(4.0, set["decision_weight"]!.GetValue<double>());
        Assert.Matches("^[0-9a-f]{64}$", set["sha256"]!.GetValue<string>());
        Assert.Equal(4, set["platforms"]!.AsArray().Count);
        Assert.Contains(metadata["training_files"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "desk/examples.jsonl" && f["rows_used"]!.GetValue<int>() == 4);
        Assert.Equal(128 + 4, metadata["train_count"]!.GetValue<int>() + metadata["dev_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Train_refuses_the_golden_set_and_a_decisions_option_without_a_source()
    {
        var golden = Path.Combine(_folder, "models", "golden");
        Directory.CreateDirectory(golden);
        var file = Path.Combine(golden, "golden.jsonl");
        await File.WriteAllTextAsync(file, Line("g1", "text", "benign", "x", "2026-12-01T00:00:00Z") + "\n");

        var named = await RunAsync("train", "--corpus", SampleCorpus, "--output", Path.Combine(_folder, "a.zip"), "--decisions", file);
        Assert.Equal(2, named.Exit);
        Assert.Contains("golden", named.Err);

        var corpus = await RunAsync("train", "--corpus", golden, "--output", Path.Combine(_folder, "b.zip"));
        Assert.Equal(2, corpus.Exit);
        Assert.Contains("golden", corpus.Err);

        var inside = await RunAsync("train", "--corpus", Path.Combine(_folder, "models"), "--data", "none", "--output", Path.Combine(_folder, "c.zip"));
        Assert.Equal(1, inside.Exit);
        Assert.Contains("golden", inside.Err);

        var mistyped = await RunAsync("train", "--corpus", SampleCorpus, "--data", Path.Combine(_folder, "no-such-data"), "--output", Path.Combine(_folder, "e.zip"));
        Assert.Equal(2, mistyped.Exit);
        Assert.Contains("no-such-data: no such folder", mistyped.Err);

        var neither = await RunAsync("train", "--decisions", "--output", Path.Combine(_folder, "d.zip"));
        Assert.Equal(2, neither.Exit);
        Assert.Contains("--decisions needs a file, or --from-store", neither.Err);

        var badTime = await RunAsync("train", "--decisions", file, "--decisions-before", "soon");
        Assert.Equal(2, badTime.Exit);
        Assert.Contains("--decisions-before must be an ISO 8601 date-time", badTime.Err);
        Assert.False(File.Exists(Path.Combine(_folder, "a.zip")) || File.Exists(Path.Combine(_folder, "b.zip")) || File.Exists(Path.Combine(_folder, "c.zip"))
            || File.Exists(Path.Combine(_folder, "e.zip")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
