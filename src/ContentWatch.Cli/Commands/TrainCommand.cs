using System.CommandLine;
using ContentWatch.Classifier;
using ContentWatch.Classifier.Training;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Training;
using Microsoft.Extensions.DependencyInjection;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch train</c>: trains the model from the team corpus and the public train splits, and writes it with its metadata.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new ModelTrainerOptions();
        var corpus = new Option<string?>("--corpus") { Description = $"The team corpus folder (default {defaults.CorpusDirectory}).", HelpName = "DIR" };
        var data = new Option<string?>("--data") { Description = $"Public data with train splits, or none (default {defaults.DataDirectory}; when the default is missing, the corpus alone).", HelpName = "DIR|none" };
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
        var foldWriters = new Option<string?>("--fold-writers")
        {
            Description = "With --leave-one-writer-out: hold out only these writers (comma-separated), for experiments.",
            HelpName = "W1,W2",
        };
        var writerGroups = CommandLine.WholeNumberOption("--writer-groups",
            "With --leave-one-writer-out: hold writers out in K groups instead of one at a time (each writer is still scored by a model trained without it; about writers/K times less work).", "K");
        var outOfFold = new Option<string?>("--out-of-fold")
        {
            Description = "With --leave-one-writer-out: write every held-out row's out-of-fold score here (JSON Lines).",
            HelpName = "FILE",
        };
        var parallelFolds = CommandLine.WholeNumberOption("--parallel-folds",
            $"With --leave-one-writer-out: train this many folds at once, e.g. one per core (default {defaults.ParallelFolds}; the scores do not depend on it).", "N");
        var allRows = new Option<bool>("--all-rows")
        {
            Description = "With --leave-one-writer-out: train the saved model on every row, dev included (dev figures then come from a twin trained without dev).",
        };
        var minWriters = CommandLine.WholeNumberOption("--min-writers", $"A feature needs rows of this many writers (public files count by file) to get a weight (default {defaults.MinWriters}).", "K");
        var decisions = new Option<string?>("--decisions")
        {
            Description = "Add officers' decisions: a file from GET /api/training/examples, or with --from-store read from the database.",
            HelpName = "FILE",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var fromStore = new Option<bool>("--from-store") { Description = "With --decisions: read the decisions from the database (Storage settings, --data-dir)." };
        var dataDir = CommandLine.DataDirOption();
        var decisionWeight = CommandLine.NumberOption("--decision-weight", $"A decision weighs this many corpus rows before the caps (default {defaults.DecisionWeight}).", "W");
        var platformCap = CommandLine.NumberOption("--decision-platform-cap", $"Largest share of the decision weight one platform may hold (default {defaults.DecisionPlatformCap}).", "S");
        var dayCap = CommandLine.NumberOption("--decision-day-cap", $"Largest share of the decision weight one UTC day may hold (default {defaults.DecisionDayCap}).", "S");
        var before = new Option<DateTimeOffset?>("--decisions-before")
        {
            Description = "Hold out decisions taken at or after this time (ISO 8601), e.g. to judge the model on them.",
            HelpName = "TIME",
            CustomParser = r => ReportParser.TryParseTimestamp(r.Tokens.Single().Value, out var at)
                ? at
                : Fail(r, "--decisions-before must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z"),
        };
        var command = new Command("train", "Train the model from the corpus and the public train splits, and officers' decisions when asked.")
        {
            corpus, data, output, seed, trainer, compare, compareTrees, corpusWeight, benignShare, l2, lexicon, leaveOneWriterOut,
            foldWriters, writerGroups, outOfFold, parallelFolds, allRows, minWriters, decisions, fromStore, dataDir, decisionWeight, platformCap, dayCap, before,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var options = new ModelTrainerOptions();
            options.CorpusDirectory = result.GetValue(corpus) ?? options.CorpusDirectory;
            options.DataDirectory = result.GetValue(data) is { } given ? (given == "none" ? null : given) : options.DataDirectory;
            options.OutputPath = result.GetValue(output) ?? options.OutputPath;
            options.Seed = result.GetValue(seed) ?? options.Seed;
            options.Trainer = result.GetValue(trainer) ?? options.Trainer;
            options.CompareTreeTrainers = result.GetValue(compareTrees);
            options.CompareTrainers = result.GetValue(compare) || options.CompareTreeTrainers;
            options.LeaveOneWriterOut = result.GetValue(leaveOneWriterOut);
            options.FoldWriters = result.GetValue(foldWriters)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            options.WriterGroups = result.GetValue(writerGroups) ?? options.WriterGroups;
            options.OutOfFoldPath = result.GetValue(outOfFold);
            options.ParallelFolds = result.GetValue(parallelFolds) ?? options.ParallelFolds;
            options.AllRows = result.GetValue(allRows);
            options.MinWriters = result.GetValue(minWriters) ?? options.MinWriters;
            if (result.GetValue(lexicon) is { } path)
            {
                options.LexiconPath = path == "none" ? null : path;
            }

            options.BenignShare = result.GetValue(benignShare) ?? options.BenignShare;
            options.L2Regularization = (float?)result.GetValue(l2) ?? options.L2Regularization;
            options.CorpusWeight = (float?)result.GetValue(corpusWeight) ?? options.CorpusWeight;
            options.DecisionWeight = result.GetValue(decisionWeight) ?? options.DecisionWeight;
            options.DecisionPlatformCap = result.GetValue(platformCap) ?? options.DecisionPlatformCap;
            options.DecisionDayCap = result.GetValue(dayCap) ?? options.DecisionDayCap;
            options.DecisionsBefore = result.GetValue(before);
            var asked = result.GetResult(decisions) is not null;
            var store = result.GetValue(fromStore);
            options.DecisionsPath = result.GetValue(decisions);
            if (asked && (options.DecisionsPath is null) == !store)
            {
                // exactly one of a file and --from-store
                throw new UsageException(store ? "--decisions takes a file or --from-store, not both" : "--decisions needs a file, or --from-store");
            }

            // The default public-data folder may be absent (the corpus alone is used, with a warning); a folder asked for
            // must exist, so a mistyped path cannot silently train without the public data.
            if (result.GetValue(data) is { } dataFolder and not "none" && !Directory.Exists(dataFolder))
            {
                throw new UsageException($"--data {dataFolder}: no such folder (--data none trains on the corpus alone)");
            }

            if (!asked && (store || options.DecisionsBefore is not null))
            {
                throw new UsageException("--from-store and --decisions-before go with --decisions");
            }

            return store ? RunFromStoreAsync(options, result.GetValue(dataDir), cancellationToken) : RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static DateTimeOffset? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    /// <summary>Writes the store's examples to a file in a temporary folder, trains with it, and deletes the folder.</summary>
    private static async Task<int> RunFromStoreAsync(ModelTrainerOptions options, string? dataDir, CancellationToken cancellationToken)
    {
        Validate(options);
        var folder = Path.Combine(Path.GetTempPath(), "contentwatch-train-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            options.DecisionsPath = Path.Combine(folder, "decisions-store.jsonl");
            options.DecisionsSource = "store";
            await using (var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken))
            await using (var file = File.Create(options.DecisionsPath))
            {
                var store = services.GetRequiredService<ITrainingExampleStore>();
                var count = await TrainingExampleJsonl.WriteAsync(TrainingExamples.StreamAsync(store, null, cancellationToken), file, cancellationToken);
                Console.WriteLine($"read {count} decisions from the store");
            }

            return await RunAsync(options, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Validate(ModelTrainerOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static async Task<int> RunAsync(ModelTrainerOptions options, CancellationToken cancellationToken)
    {
        Validate(options);

        TrainingResult result;
        using (var bar = new ConsoleProgress("train"))
        {
            // Reported on the trainer's threads, in order (Progress<T> would post each step to the thread pool).
            result = await ModelTrainer.TrainAsync(options, new StepProgress(p => bar.Step(p.Step, p.TotalSteps, p.Message)), cancellationToken);
        }

        Console.WriteLine(result.Report);
        Console.WriteLine($"wrote {result.OutputPath} ({result.ModelBytes:N0} bytes, model {result.Metadata.ModelVersion}) in {result.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private sealed class StepProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
