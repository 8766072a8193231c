using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>The command line as a user runs it: a real process on a temp data folder.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "contentwatch-cli", Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_folder);

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) =>
        CliProcess.RunAsync(_folder, args, new Dictionary<string, string> { ["Classification__ModelPath"] = RepoPaths.Model });

    [Fact]
    public async Task Ingest_reports_counts_and_rejected_line_numbers()
    {
        var file = Path.Combine(_folder, "reports.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"platform":"x","url":"https://x.example/1","text":"one"}""",
            """{"platform":"x","url":"https://x.example/2","text":"two"}""",
            """{"platform":"x","url":"https://x.example/1/","text":"one again"}""",
            """{"platform":"x","url":"ftp://x.example/3","text":"three"}""",
            "not json",
        ]);
        var (exit, output, _) = await RunAsync("ingest", file, "--data-dir", Path.Combine(_folder, "data"));
        Assert.Equal(1, exit);
        Assert.Contains("stored 2, duplicates 1, rejected 2", output);
        Assert.Contains("line 4: url", output);
        Assert.Contains("line 5: $", output);

        var again = await RunAsync("ingest", file, "--data-dir", Path.Combine(_folder, "data"));
        Assert.Contains("stored 0, duplicates 3, rejected 2", again.Out);
    }

    [Fact]
    public async Task Classify_writes_one_line_per_input_without_a_database()
    {
        var input = Path.Combine(_folder, "in.jsonl");
        var output = Path.Combine(_folder, "out.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id":"a","text":"Boat to UK from Dunkirk tonight, 1500 euro per person, guaranteed arrival, WhatsApp +33 755 123 456"}""",
            """{"id":7,"text":"Recipe: slow-cooked lentil soup with cumin and lemon."}""",
        ]);
        var (exit, _, error) = await RunAsync("classify", "--input", input, "--output", output);
        Assert.True(exit == 0, error);
        var lines = (await File.ReadAllLinesAsync(output)).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("a", lines[0]["id"]!.GetValue<string>());
        Assert.Equal(7, lines[1]["id"]!.GetValue<int>());
        Assert.Equal("smuggling_service", lines[0]["label"]!.GetValue<string>());
        Assert.Equal("benign", lines[1]["label"]!.GetValue<string>());
        Assert.Equal(4, lines[0]["scores"]!.AsObject().Count);
        Assert.False(Directory.Exists(Path.Combine(_folder, ".data")));
    }

    [Fact]
    public async Task Keys_create_prints_a_key_and_refuses_a_platform_key_without_a_platform()
    {
        var data = Path.Combine(_folder, "data");
        var (exit, output, _) = await RunAsync("keys", "create", "--role", "platform", "--platform", "facebook", "--data-dir", data);
        Assert.Equal(0, exit);
        Assert.StartsWith("cw_", output.Trim());
        var refused = await RunAsync("keys", "create", "--role", "platform", "--data-dir", data);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--platform", refused.Err);
    }

    [Fact]
    public async Task Export_with_nothing_pending_says_so_and_unknown_options_are_refused()
    {
        var data = Path.Combine(_folder, "data");
        var (exit, output, _) = await RunAsync("export", "--data-dir", data);
        Assert.Equal(0, exit);
        Assert.Contains("nothing pending", output);
        var refused = await RunAsync("export", "--data-dir", data, "--bogus", "1");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("unknown option: --bogus", refused.Err);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
