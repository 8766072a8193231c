using System.CommandLine;
using ContentWatch.Classifier;
using ContentWatch.Classifier.Training;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch split --out DIR [--corpus DIR] [--data DIR] [--tests]</c>: writes the trainer's train rows and grouped
/// dev split as <c>DIR/train.jsonl</c> and <c>DIR/dev.jsonl</c>, so peer systems train and score on the same examples.
/// With <c>--tests</c> it also writes each public test split, with the same label mapping, as <c>DIR/test-NAME.jsonl</c>
/// (for the model card's final figures; the trainer never reads them). With <c>--writers</c> it writes the
/// leave-one-writer-out folds (<c>DIR/writers/W/train.jsonl</c>, <c>test.jsonl</c>) for <c>scripts/baselines.sh</c>.
/// </summary>
public static class SplitCommand
{
    public static Command Create()
    {
        var defaults = new ModelTrainerOptions();
        var output = new Option<string>("--out") { Required = true, Description = "Folder for train.jsonl and dev.jsonl.", HelpName = "DIR" };
        var corpus = new Option<string?>("--corpus") { Description = $"The team corpus folder (default {defaults.CorpusDirectory}).", HelpName = "DIR" };
        var data = new Option<string?>("--data") { Description = $"Public data with train splits (default {defaults.DataDirectory}).", HelpName = "DIR" };
        var tests = new Option<bool>("--tests") { Description = "Also write each public test split as DIR/test-NAME.jsonl." };
        var writers = new Option<bool>("--writers") { Description = "Also write the leave-one-writer-out folds as DIR/writers/W/{train,test}.jsonl." };
        var writerGroups = CommandLine.WholeNumberOption("--writer-groups",
            "With --writers: write the K writer groups of `train --writer-groups K` instead of one fold per writer (DIR/writers/group-NN/).", "K");
        var command = new Command("split", "Write the trainer's train rows and grouped dev split, so peer systems train and score on the same examples.")
        {
            output, corpus, data, tests, writers, writerGroups,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var groups = result.GetValue(writerGroups) ?? 0;
            if (groups != 0 && (groups < 2 || !result.GetValue(writers)))
            {
                Console.Error.WriteLine("contentwatch: --writer-groups needs --writers and at least 2 groups.");
                return Task.FromResult(2);
            }

            return RunAsync(result.GetRequiredValue(output), result.GetValue(corpus) ?? defaults.CorpusDirectory,
                result.GetValue(data) ?? defaults.DataDirectory, result.GetValue(tests), result.GetValue(writers), groups, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string output, string corpus, string? data, bool tests, bool writers, int writerGroups,
        CancellationToken cancellationToken)
    {

        var result = await TrainingSplit.WriteAsync(corpus, data, output, m => Console.Error.WriteLine("warning: " + m), cancellationToken);
        foreach (var file in result.Files)
        {
            Console.WriteLine($"read {file.Name} ({file.RowsUsed} rows, sha256 {file.Sha256})");
        }

        Console.WriteLine($"wrote {result.TrainPath} ({result.TrainCount} rows) and {result.DevPath} ({result.DevCount} rows)");
        if (writers)
        {
            foreach (var (fold, train, test) in await TrainingSplit.WriteWriterFoldsAsync(corpus, data, output,
                m => Console.Error.WriteLine("warning: " + m), cancellationToken, writerGroups))
            {
                Console.WriteLine($"wrote writers/{fold}: train {train} rows, test {test} rows");
            }
        }

        if (tests && data is not null)
        {
            foreach (var (path, count) in await TrainingSplit.WriteTestsAsync(data, output, cancellationToken))
            {
                Console.WriteLine($"wrote {path} ({count} rows)");
            }
        }
        return 0;
    }
}
