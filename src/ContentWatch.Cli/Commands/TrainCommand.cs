using System.CommandLine;
using ContentWatch.Classifier;
using ContentWatch.Classifier.Training;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch train</c>: trains the model from the team corpus and the public train splits, and writes it with its metadata.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new ModelTrainerOptions();
        var corpus = new Option<string?>("--corpus") { Description = $"The team corpus folder (default {defaults.CorpusDirectory}).", HelpName = "DIR" };
        var data = new Option<string?>("--data") { Description = $"Public data with train splits (default {defaults.DataDirectory}; missing: the corpus alone).", HelpName = "DIR" };
        var output = new Option<string?>("--output") { Description = $"Where to write the model (default {defaults.OutputPath}).", HelpName = "PATH" };
        var seed = CommandLine.WholeNumberOption("--seed", $"Random seed (default {defaults.Seed}).", "N");
        var trainer = new Option<string?>("--trainer") { Description = $"lbfgs or sdca (default {defaults.Trainer}).", HelpName = "lbfgs|sdca" };
        var compare = new Option<bool>("--compare") { Description = "Also train the other trainers and print a dev table." };
        var compareTrees = new Option<bool>("--compare-trees") { Description = "Also LightGBM and FastTree, for comparison only (slow)." };
        var corpusWeight = CommandLine.NumberOption("--corpus-weight", $"Weight of team-corpus rows over public rows (default {defaults.CorpusWeight}).", "W");
        var benignShare = CommandLine.NumberOption("--benign-share", $"Share of benign rows in training (default {defaults.BenignShare}).", "S");
        var l2 = CommandLine.NumberOption("--l2", $"L2 regularisation (default {defaults.L2Regularization}).", "X");
        var lexicon = new Option<string?>("--lexicon") { Description = $"The concept lexicon, or none (default {defaults.LexiconPath}).", HelpName = "PATH|none" };
        var leaveOneWriterOut = new Option<bool>("--leave-one-writer-out")
        {
            Description = "Score each corpus writer with a model trained without it first, and take the review threshold from those scores.",
        };
        var command = new Command("train", "Train the model from the corpus and the public train splits.")
        {
            corpus, data, output, seed, trainer, compare, compareTrees, corpusWeight, benignShare, l2, lexicon, leaveOneWriterOut,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new ModelTrainerOptions();
            options.CorpusDirectory = result.GetValue(corpus) ?? options.CorpusDirectory;
            options.DataDirectory = result.GetValue(data) ?? options.DataDirectory;
            options.OutputPath = result.GetValue(output) ?? options.OutputPath;
            options.Seed = result.GetValue(seed) ?? options.Seed;
            options.Trainer = result.GetValue(trainer) ?? options.Trainer;
            options.CompareTreeTrainers = result.GetValue(compareTrees);
            options.CompareTrainers = result.GetValue(compare) || options.CompareTreeTrainers;
            options.LeaveOneWriterOut = result.GetValue(leaveOneWriterOut);
            if (result.GetValue(lexicon) is { } path)
            {
                options.LexiconPath = path == "none" ? null : path;
            }

            options.BenignShare = result.GetValue(benignShare) ?? options.BenignShare;
            options.L2Regularization = (float?)result.GetValue(l2) ?? options.L2Regularization;
            options.CorpusWeight = (float?)result.GetValue(corpusWeight) ?? options.CorpusWeight;
            return RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ModelTrainerOptions options, CancellationToken cancellationToken)
    {
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
}
