using ContentWatch.Classifier;
using ContentWatch.Classifier.Training;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch train</c>: trains the model from the team corpus and the public train splits, and writes it with its metadata.</summary>
public static class TrainCommand
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var options = new ModelTrainerOptions();
        options.CorpusDirectory = arguments.Option("corpus") ?? options.CorpusDirectory;
        options.DataDirectory = arguments.Option("data") ?? options.DataDirectory;
        options.OutputPath = arguments.Option("output") ?? options.OutputPath;
        options.Seed = arguments.Int("seed", options.Seed);
        options.Trainer = arguments.Option("trainer") ?? options.Trainer;
        options.CompareTreeTrainers = arguments.Flag("compare-trees");
        options.CompareTrainers = arguments.Flag("compare") || options.CompareTreeTrainers;
        options.LeaveOneWriterOut = arguments.Flag("leave-one-writer-out");
        if (arguments.Option("lexicon") is { } lexicon)
        {
            options.LexiconPath = lexicon == "none" ? null : lexicon;
        }

        options.BenignShare = Number(arguments, "benign-share", options.BenignShare);
        options.L2Regularization = (float)Number(arguments, "l2", options.L2Regularization);
        options.CorpusWeight = (float)Number(arguments, "corpus-weight", options.CorpusWeight);
        arguments.RejectUnknown();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        TrainingResult result;
        using (var bar = new ConsoleProgress("train"))
        {
            var progress = new Progress<TrainingProgress>(p => bar.Report(p.Step, p.TotalSteps, p.Message));
            result = await ModelTrainer.TrainAsync(options, progress, cancellationToken);
        }

        Console.WriteLine(result.Report);
        Console.WriteLine($"wrote {result.OutputPath} ({result.ModelBytes:N0} bytes, model {result.Metadata.ModelVersion}) in {result.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>The option <paramref name="name"/> as a number (invariant culture), or <paramref name="fallback"/> when absent.</summary>
    private static double Number(Arguments arguments, string name, double fallback) =>
        arguments.Option(name) is not { } text ? fallback
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new UsageException($"--{name} must be a number");
}
