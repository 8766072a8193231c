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
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var defaults = new ModelTrainerOptions();
        var output = arguments.Required("out");
        var corpus = arguments.Option("corpus") ?? defaults.CorpusDirectory;
        var data = arguments.Option("data") ?? defaults.DataDirectory;
        var tests = arguments.Flag("tests");
        var writers = arguments.Flag("writers");
        arguments.RejectUnknown();

        var result = await TrainingSplit.WriteAsync(corpus, data, output, m => Console.Error.WriteLine("warning: " + m), cancellationToken);
        foreach (var file in result.Files)
        {
            Console.WriteLine($"read {file.Name} ({file.RowsUsed} rows, sha256 {file.Sha256})");
        }

        Console.WriteLine($"wrote {result.TrainPath} ({result.TrainCount} rows) and {result.DevPath} ({result.DevCount} rows)");
        if (writers)
        {
            foreach (var (writer, train, test) in await TrainingSplit.WriteWriterFoldsAsync(corpus, data, output,
                m => Console.Error.WriteLine("warning: " + m), cancellationToken))
            {
                Console.WriteLine($"wrote writers/{writer}: train {train} rows, test {test} rows");
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
