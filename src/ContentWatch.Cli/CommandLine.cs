using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Cli.Commands;
using ContentWatch.Core;
using ContentWatch.Jobs;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli;

public static class CommandLine
{
    public const string Usage = """
        usage: contentwatch COMMAND [options]

          serve [--urls URL] [--data-dir DIR] [--roles web|worker|web,worker]
                                                     run the API (web) and the background workers (worker), both by
                                                     default (http://127.0.0.1:5080); a worker-only node answers /health
          ingest FILE [--data-dir DIR]               import reports from JSONL or CSV; exit 1 when lines were rejected
          classify --input FILE --output FILE.jsonl [--model PATH]
                                                     classify JSONL/CSV offline, no database
          train [--corpus DIR] [--data DIR] [--output PATH] [--seed N] [--trainer sdca|lbfgs] [--compare] [--compare-trees]
                [--corpus-weight W] [--benign-share S] [--l2 X] [--lexicon PATH|none] [--leave-one-writer-out]
                                                     train the model from the corpus and the public train splits
                                                     (--compare: also train the other trainers and print a dev table;
                                                     --compare-trees: also LightGBM and FastTree, comparison only, slow;
                                                     --leave-one-writer-out: score each corpus writer with a model trained
                                                     without it first, and take the review threshold from those scores)
          evaluate --input FILE [--model PATH] [--json]
                                                     score a labelled JSONL/CSV file (text, label, optional lang, id):
                                                     per-label P/R/F1, confusion, PR/ROC-AUC, FPR at the review threshold
          split --out DIR [--corpus DIR] [--data DIR] [--tests] [--writers]
                                                     write the trainer's train rows and dev split as DIR/train.jsonl, DIR/dev.jsonl
                                                     (--tests: also each public test split as DIR/test-NAME.jsonl;
                                                     --writers: also the leave-one-writer-out folds as DIR/writers/W/{train,test}.jsonl)
          lexicon check FILE                         validate a concept lexicon file (models/lexicon/concepts.json)
          export [--platform P] [--output DIR] [--data-dir DIR]
                                                     put pending referrals into export batches (all platforms by default)
          keys create --role R [--platform P] [--data-dir DIR]
                                                     create an API key (intake, officer, platform, admin)
          users add --username U --role R [--data-dir DIR]
                                                     create a review desk account (officer, supervisor, admin);
                                                     the password is read from stdin or asked for, never from argv
          migrate [--data-dir DIR]                   apply the database schema
          recheck [--data-dir DIR]                   one takedown re-check pass over the open referrals now, then exit
          report --from DATE --to DATE [--format html|csv|json] [--output FILE] [--data-dir DIR]
                                                     the transparency report on notices sent in [from, to)
          audit verify [--data-dir DIR]              check the decisions hash chain and the sealed evidence; exit 1 if broken

        Settings come from appsettings.json in the working folder, then environment variables (Storage__DataDirectory),
        then the options above. See appsettings.sample.json.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "serve" => await ServeCommand.RunAsync(rest),
                "ingest" => await IngestCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "classify" => await ClassifyCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "train" => await TrainCommand.RunAsync(Arguments.Parse(rest, "compare", "compare-trees", "leave-one-writer-out"), cancel.Token),
                "evaluate" => await EvaluateCommand.RunAsync(Arguments.Parse(rest, "json"), cancel.Token),
                "split" => await SplitCommand.RunAsync(Arguments.Parse(rest, "tests", "writers"), cancel.Token),
                "lexicon" => LexiconCommand.Run(rest),
                "export" => await ExportCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "keys" => await KeysCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "users" => await UsersCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "migrate" => await MigrateCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "recheck" => await RecheckCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "report" => await ReportCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                "audit" => await AuditCommand.RunAsync(Arguments.Parse(rest), cancel.Token),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"contentwatch: {e.Message}\n\n{Usage}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("contentwatch: cancelled");
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"contentwatch: {e.Message}");
            return 1;
        }
    }

    /// <summary>Configuration and services for the commands that work on the database without serving.</summary>
    public static Task<ServiceProvider> OpenServicesAsync(Arguments arguments, CancellationToken cancellationToken) =>
        OpenServicesAsync(arguments.Option("data-dir"), cancellationToken);

    /// <summary>Configuration and services with the data folder given on the command line, if any.</summary>
    public static async Task<ServiceProvider> OpenServicesAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>();
        if (dataDirectory is { } dataDir)
        {
            overrides["Storage:DataDirectory"] = dataDir;
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<IWorkQueue, DeferredWorkQueue>()
            .AddContentWatchServices(configuration)
            .BuildServiceProvider();
        await services.PrepareStorageAsync(configuration, cancellationToken);
        return services;
    }
}
