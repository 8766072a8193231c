using System.CommandLine;
using ContentWatch.Classifier;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch classify --input FILE --output FILE.jsonl|- [--model PATH]</c>: offline, no database.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Required = true, Description = "JSONL or CSV with text and optional id, title, kind, lang.", HelpName = "FILE" };
        var output = new Option<string>("--output") { Required = true, Description = "Where to write one JSON line per input record; - for standard output.", HelpName = "FILE.jsonl|-" };
        var model = new Option<string?>("--model") { Description = $"The model file (default {ModelFile.DefaultPath}).", HelpName = "PATH" };
        var command = new Command("classify", "Classify a JSONL/CSV file offline, without a database: label, scores and evidence per record (a record without id gets its line number).")
        {
            input, output, model,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(input), result.GetRequiredValue(output), ModelFile.ResolvePath(result.GetValue(model) ?? ModelFile.DefaultPath), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string input, string output, string model, CancellationToken cancellationToken)
    {
        if (!File.Exists(input))
        {
            throw new IOException($"no input file {input}");
        }

        var classifier = LinearTextClassifier.Load(model);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var length = new FileInfo(input).Length;
        long lines;
        using (var bar = new ConsoleProgress("classify"))
        {
            var progress = new Progress<long>(n => bar.Report(n, Math.Max(n, 1), "items"));
            if (output == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                lines = await BatchFileClassifier.RunAsync(input, stdout, classifier, progress, cancellationToken);
            }
            else
            {
                lines = await BatchFileClassifier.RunAsync(input, output, classifier, progress, cancellationToken);
            }
        }

        await Console.Error.WriteLineAsync($"classified {lines:N0} items from {length:N0} bytes with {classifier.ModelVersion} in {started.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
