using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentWatch.Classifier;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch evaluate --input FILE [--model PATH] [--json]</c>: classifies a labelled JSONL/CSV file (text, label,
/// optional lang, id) and prints per-label figures, the confusion matrix, PR-AUC/ROC-AUC of the harmful score, figures at
/// the model's review threshold, calibration and a per-language breakdown (Lingua names the language of items without
/// lang). Offline, no database.
/// </summary>
public static class EvaluateCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Default,
    };

    public static Command Create()
    {
        var input = new Option<string>("--input") { Required = true, Description = "Labelled JSONL or CSV (text, label, optional lang, id).", HelpName = "FILE" };
        var model = new Option<string?>("--model") { Description = $"The model file (default {ModelFile.DefaultPath}).", HelpName = "PATH" };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("evaluate",
            "Score a labelled file offline: per-label P/R/F1, confusion, PR/ROC-AUC and FPR at the review threshold, calibration, per language.")
        {
            input, model, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(input), ModelFile.ResolvePath(result.GetValue(model) ?? ModelFile.DefaultPath), result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string input, string model, bool json, CancellationToken cancellationToken)
    {
        if (!File.Exists(input))
        {
            throw new IOException($"no input file {input}");
        }

        if (!File.Exists(model))
        {
            throw new IOException($"no model file {model}");
        }

        var classifier = LinearTextClassifier.Load(model);
        FileEvaluation result;
        using (var bar = new ConsoleProgress("evaluate"))
        {
            result = await EvaluationFile.EvaluateAsync(input, classifier, new Progress<long>(n => bar.Report(n, Math.Max(n, 1), "items")), cancellationToken,
                new LanguageIdentifier());
        }

        foreach (var problem in result.Problems)
        {
            await Console.Error.WriteLineAsync($"skipped {problem}");
        }

        if (result.Skipped > 0)
        {
            await Console.Error.WriteLineAsync($"skipped {result.Skipped} record(s) in total");
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                model = classifier.ModelVersion,
                input = Path.GetFileName(input),
                skipped = result.Skipped,
                report = result.Report,
            }, Json));
        }
        else
        {
            Console.WriteLine($"model {classifier.ModelVersion}, input {Path.GetFileName(input)}");
            Console.WriteLine(ModelEvaluation.Format(result.Report));
        }

        return 0;
    }
}
