using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary><c>contentwatch train</c> and <c>evaluate</c> as a user runs them: a real process, the committed training sample.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-model-cli", Guid.NewGuid().ToString("N"));

    public ModelCommandsTests() => Directory.CreateDirectory(_folder);

    private static string SampleCorpus => Path.Combine(RepoPaths.Root, "tests", "ContentWatch.Classifier.Tests", "Data", "sample_corpus");

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliProcess.RunAsync(_folder, args);

    [Fact]
    public async Task Train_writes_a_model_that_evaluate_reads_in_text_and_json()
    {
        var model = Path.Combine(_folder, "m.zip");
        var train = await RunAsync("train", "--corpus", SampleCorpus, "--data", "none", "--output", model);
        Assert.True(train.Exit == 0, train.Err + train.Out);
        Assert.Contains("6/6 saved", train.Out);
        Assert.Contains("review threshold", train.Out);
        // Standard error is not a terminal here: the steps are logged as lines, in order, as they happen.
        var steps = train.Err.Split('\n').Where(l => l.Length > 3 && l[1] == '/' && l[2] == '6').Select(l => l[0] - '0').ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps.Distinct());
        Assert.Equal(steps.Order(), steps);
        Assert.True(File.Exists(model));

        var input = Path.Combine(_folder, "labelled.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id":"a","text":"Boat to UK from Dunkirk tonight, 1500 euro per person, guaranteed arrival, WhatsApp +33 755 123 456","label":"smuggling_service","lang":"en"}""",
            """{"id":"b","text":"Real registered passports and ID cards for sale, telegram @docs","label":"document_fraud","lang":"en"}""",
            """{"id":"c","text":"Recipe: slow-cooked lentil soup with cumin and lemon.","label":"benign","lang":"en"}""",
            """{"id":"d","text":"Ferry timetable: departures at 06:00 and 14:45 daily.","label":"benign","lang":"fr"}""",
            """{"id":"e","text":"no label"}""",
        ]);

        var text = await RunAsync("evaluate", "--input", input, "--model", model);
        Assert.True(text.Exit == 0, text.Err);
        Assert.Contains("smuggling_service", text.Out);
        Assert.Contains("confusion", text.Out);
        Assert.Contains("PR-AUC", text.Out);
        Assert.Contains("at review threshold", text.Out);
        Assert.Contains("skipped line 5", text.Err);

        var json = await RunAsync("evaluate", "--input", input, "--model", model, "--json");
        Assert.True(json.Exit == 0, json.Err);
        var report = JsonNode.Parse(json.Out)!;
        Assert.Equal(1, report["skipped"]!.GetValue<int>());
        Assert.Equal(4, report["report"]!["count"]!.GetValue<int>());
        Assert.Equal(4, report["report"]!["per_label"]!.AsArray().Count);
        Assert.Equal(4, report["report"]!["confusion"]!.AsArray().Count);
        Assert.InRange(report["report"]!["harmful_roc_auc"]!.GetValue<double>(), 0.0, 1.0);
        Assert.Equal(2, report["report"]!["per_language"]!.AsArray().Count);
    }

    [Fact]
    public async Task Evaluate_and_train_refuse_bad_arguments()
    {
        var missing = await RunAsync("evaluate", "--input", Path.Combine(_folder, "nope.jsonl"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no input file", missing.Err);

        var noInput = await RunAsync("evaluate");
        Assert.Equal(2, noInput.Exit);
        Assert.Contains("'--input' is required", noInput.Err);

        var badTrainer = await RunAsync("train", "--trainer", "magic", "--output", Path.Combine(_folder, "x.zip"));
        Assert.Equal(2, badTrainer.Exit);
        Assert.Contains("Unknown trainer", badTrainer.Err);

        var empty = Path.Combine(_folder, "empty.jsonl");
        await File.WriteAllTextAsync(empty, "{\"text\":\"x\",\"label\":\"spam\"}\n");
        var none = await RunAsync("evaluate", "--input", empty, "--model", RepoPaths.Model);
        Assert.Equal(1, none.Exit);
        Assert.Contains("no labelled records", none.Err);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
