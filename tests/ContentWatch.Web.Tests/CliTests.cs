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

    [Fact]
    public async Task Classify_to_stdout_with_a_dash_gives_a_line_without_id_its_line_number()
    {
        var input = Path.Combine(_folder, "in.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id":"a","text":"Boat to UK from Dunkirk tonight, 1500 euro per person"}""",
            "",
            """{"text":"Recipe: slow-cooked lentil soup with cumin and lemon."}""",
        ]);

        var (exit, output, error) = await RunAsync("classify", "--input", input, "--output", "-");

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("a", lines[0]["id"]!.GetValue<string>());
        Assert.Equal(3, lines[1]["id"]!.GetValue<int>());
        Assert.False(File.Exists(Path.Combine(_folder, "-")));
        Assert.Contains("classified 2 items", error);
    }

    public static TheoryData<string> Commands() =>
    [
        "serve", "ingest", "classify", "train", "evaluate", "split", "lexicon", "lexicon check", "lexicon compare", "export", "keys", "keys create", "keys list",
        "keys revoke", "users", "users add", "users lock", "users unlock", "users reset-password", "migrate",
        "models", "models list", "models import", "models shadow", "models activate", "models promote", "models retire", "rescore",
        "recheck", "report", "audit", "audit verify",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_answers_help(string command)
    {
        var (exit, output, error) = await RunAsync([.. command.Split(' '), "--help"]);

        Assert.True(exit == 0, error);
        Assert.Contains("Usage:", output);
        Assert.Contains("contentwatch " + command, output);
    }

    [Theory]
    [InlineData(new[] { "clasify" }, "unknown command 'clasify' (did you mean classify?)", "'contentwatch --help'")]
    [InlineData(new[] { "classify", "--inptu", "x" }, "unknown option: --inptu (did you mean --input?)", "'contentwatch classify --help'")]
    [InlineData(new[] { "users", "lok" }, "unknown command 'lok' (did you mean lock?)", "'contentwatch users --help'")]
    [InlineData(new[] { "train", "--seed", "one" }, "--seed must be a whole number", "'contentwatch train --help'")]
    [InlineData(new[] { "report", "--from", "2027-01-01", "--to", "2026-01-01" }, "--from must be before --to", "'contentwatch report --help'")]
    [InlineData(new[] { "report", "--from", "yesterday", "--to", "2026-01-01" }, "--from must be an ISO 8601 date or date-time", "'contentwatch report --help'")]
    [InlineData(new[] { "report", "--from", "2026-01-01", "--to", "2027-01-01", "--format", "pdf" }, "--format must be html, csv or json", "'contentwatch report --help'")]
    [InlineData(new[] { "audit", "verfy" }, "unknown command 'verfy' (did you mean verify?)", "'contentwatch audit --help'")]
    public async Task A_mistake_gets_one_line_with_a_suggestion_and_exit_2(string[] args, string message, string help)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
        Assert.Contains(help, line);
    }

    [Theory]
    [InlineData("serve --urls http://127.0.0.1:5999 --data-dir d --roles web,worker")]
    [InlineData("serve --urls=http://127.0.0.1:5999 --data-dir=d")]
    [InlineData("ingest reports.jsonl --data-dir d")]
    [InlineData("classify --input in.jsonl --output out.jsonl --model m.zip")]
    [InlineData("train --corpus c --data p --output m.zip --seed 7 --trainer sdca --compare --compare-trees --corpus-weight 4.5 --benign-share 0.4 --l2 0.01 --lexicon none --leave-one-writer-out")]
    [InlineData("train --decisions examples.jsonl --decision-weight 3 --decision-platform-cap 0.4 --decision-day-cap 0.2 --decisions-before 2026-12-01T00:00:00Z")]
    [InlineData("train --decisions --from-store --data-dir d")]
    [InlineData("evaluate --input in.jsonl --model m.zip --json")]
    [InlineData("split --out o --corpus c --data p --tests --writers")]
    [InlineData("lexicon check models/lexicon/concepts.json")]
    [InlineData("lexicon compare old.json new.json --input a.jsonl b.csv")]
    [InlineData("export --platform facebook --output o --data-dir d")]
    [InlineData("keys create --role platform --platform facebook --data-dir d")]
    [InlineData("keys list --data-dir d")]
    [InlineData("keys revoke 0123 --data-dir d")]
    [InlineData("users add --username ana --role admin --data-dir d")]
    [InlineData("users lock --username ana --data-dir d")]
    [InlineData("users unlock --username ana --data-dir d")]
    [InlineData("users reset-password --username ana --data-dir d")]
    [InlineData("migrate --data-dir d")]
    [InlineData("models list --data-dir d")]
    [InlineData("models import m.zip --data-dir d")]
    [InlineData("models shadow cw-x --force --data-dir d")]
    [InlineData("models activate cw-x --force --data-dir d")]
    [InlineData("models promote cw-x --force --data-dir d")]
    [InlineData("models retire cw-x --data-dir d")]
    [InlineData("rescore --model cw-x --since 2026-12-01 --include-dismissed --from 2026-11-01 --to 2026-12-01 --data-dir d")]
    [InlineData("recheck --data-dir d")]
    [InlineData("report --from 2026-01-01 --to 2027-01-01T00:00:00Z --format csv --output r.csv --data-dir d")]
    [InlineData("audit verify --data-dir d")]
    public void Every_command_still_parses_its_options(string line)
    {
        var result = ContentWatch.Cli.CommandLine.Build().Parse(line.Split(' '));

        Assert.Empty(result.Errors);
        Assert.Equal(line.Split(' ')[0], result.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Parent: not null } parent ? parent.Command.Name : result.CommandResult.Command.Name);
    }

    [Fact]
    public async Task Lexicon_compare_counts_what_an_edit_newly_matches_per_label()
    {
        static string Lexicon(string version, string escrowTerms) => $$$"""
            {"version": "{{{version}}}", "languages": ["en"], "concepts": [
              {"id": "escrow_payment", "description": "held until arrival", "polarity": "harmful", "terms": {"en": [{{{escrowTerms}}}]}},
              {"id": "news_reporting", "description": "reporting", "polarity": "benign", "terms": {"en": ["arrested"]}}]}
            """;
        await File.WriteAllTextAsync(Path.Combine(_folder, "old.json"), Lexicon("1.0.0", "\"pay on arrival\""));
        await File.WriteAllTextAsync(Path.Combine(_folder, "new.json"), Lexicon("1.1.0", "\"pay on arrival\", \"money stays with the office\""));
        await File.WriteAllLinesAsync(Path.Combine(_folder, "items.jsonl"),
        [
            """{"text":"Pay on arrival, Italy this week","label":"smuggling_service"}""",
            """{"text":"The money stays with the office until you arrive","label":"smuggling_service"}""",
            """{"text":"Two smugglers arrested at the port","label":"benign"}""",
            """{"text":"Flat for rent, the money stays with the office as deposit","label":"benign"}""",
            """{"text":"no label here"}""",
        ]);

        var (exit, output, error) = await RunAsync("lexicon", "compare", Path.Combine(_folder, "old.json"), Path.Combine(_folder, "new.json"),
            "--input", Path.Combine(_folder, "items.jsonl"));

        Assert.True(exit == 0, error);
        Assert.Contains("version 1.0.0", output);
        Assert.Contains("version 1.1.0", output);
        Assert.Contains("items: harmful 2, benign 2 (1 skipped", output);
        var escrow = output.Split('\n').Single(l => l.StartsWith("escrow_payment", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["escrow_payment", "50.0%", "100.0%", "50.0%", "0.0%", "50.0%", "50.0%"], escrow);
        var none = output.Split('\n').Single(l => l.StartsWith("(no concept)", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["(no", "concept)", "50.0%", "0.0%", "50.0%", "50.0%", "0.0%", "50.0%"], none);
    }

    [Fact]
    public async Task Keys_list_shows_keys_with_last_use_and_revoke_marks_one_revoked()
    {
        var data = Path.Combine(_folder, "data");
        var created = await RunAsync("keys", "create", "--role", "officer", "--data-dir", data);
        var id = System.Text.RegularExpressions.Regex.Match(created.Err, "key ([0-9a-f]{32})").Groups[1].Value;

        var revoked = await RunAsync("keys", "revoke", id, "--data-dir", data);
        var listed = await RunAsync("keys", "list", "--data-dir", data);
        var unknown = await RunAsync("keys", "revoke", "nope", "--data-dir", data);

        Assert.Equal(0, revoked.Exit);
        Assert.Equal(0, listed.Exit);
        var row = Assert.Single(listed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith(id, StringComparison.Ordinal)).Split('\t');
        Assert.Equal("officer", row[1]);
        Assert.Equal("-", row[4]);
        Assert.EndsWith("UTC", row[5]);
        Assert.Equal(1, unknown.Exit);
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
