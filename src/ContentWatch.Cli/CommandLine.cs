using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Cli.Commands;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli;

/// <summary>
/// The command line, on System.CommandLine: help for every command (<c>--help</c>), a suggestion for a mistyped command
/// or option, and one line of error (exit 2) instead of the whole usage.
/// </summary>
public static class CommandLine
{
    private const string Settings =
        "Settings come from appsettings.json in the working folder, then environment variables (Storage__DataDirectory), " +
        "then the options. See appsettings.sample.json.";

    public static RootCommand Build() =>
        new("contentwatch: find, review and refer adverts for migrant smuggling, forged documents and fake jobs. " + Settings)
        {
            ServeCommand.Create(),
            IngestCommand.Create(),
            ClassifyCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            SplitCommand.Create(),
            LexiconCommand.Create(),
            ExportCommand.Create(),
            KeysCommand.Create(),
            ModelsCommand.Create(),
            RescoreCommand.Create(),
            UsersCommand.Create(),
            MigrateCommand.Create(),
            RecheckCommand.Create(),
            ReportCommand.Create(),
            AuditCommand.Create(),
        };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var result = root.Parse(args is [] or ["help"] ? ["--help"] : args);
        if (result.Action is ParseErrorAction)
        {
            await Console.Error.WriteLineAsync(Describe(result));
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            // the commands handle Ctrl+C themselves (serve leaves it to the host)
            var exit = await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel.Token);
            return args is [] ? 2 : exit;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"contentwatch: {e.Message} (see '{CommandPath(result)} --help')");
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

    /// <summary>One line: the first problem, a suggestion when a name looks mistyped, and where the help is.</summary>
    public static string Describe(ParseResult result)
    {
        var command = result.CommandResult.Command;
        string message;
        if (result.UnmatchedTokens.FirstOrDefault() is { } token)
        {
            var option = token.StartsWith('-');
            var names = option
                ? command.Options.Concat(result.RootCommandResult.Command.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name));
            message = option ? $"unknown option: {token}" : command.Subcommands.Count > 0 ? $"unknown command '{token}'" : $"unexpected argument '{token}'";
            if (Closest(token, names) is { } guess)
            {
                message += $" (did you mean {guess}?)";
            }
        }
        else
        {
            message = result.Errors[0].Message;
        }

        return $"contentwatch: {message} (see '{CommandPath(result)} --help')";
    }

    private static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var symbol = result.CommandResult; symbol is not null; symbol = symbol.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, symbol.Parent is null ? "contentwatch" : symbol.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>The name nearest to <paramref name="typed"/> within two edits (or the one it is a prefix of), else null.</summary>
    private static string? Closest(string typed, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: n.StartsWith(typed, StringComparison.Ordinal) && typed.Length > 2 ? 0 : Distance(typed, n)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>The <c>--data-dir</c> option of the commands that work on the database.</summary>
    public static Option<string?> DataDirOption() => new("--data-dir") { Description = "Folder of the embedded SQLite database (Storage:DataDirectory).", HelpName = "DIR" };

    /// <summary>An option holding a number read in the invariant culture (a dot for decimals, whatever the locale).</summary>
    public static Option<double?> NumberOption(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r => double.TryParse(r.Tokens.Single().Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : FailParse<double>(r, $"{name} must be a number"),
    };

    /// <summary>An option holding a whole number.</summary>
    public static Option<int?> WholeNumberOption(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = r => int.TryParse(r.Tokens.Single().Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : FailParse<int>(r, $"{name} must be a whole number"),
    };

    private static T? FailParse<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
        where T : struct
    {
        result.AddError(message);
        return null;
    }


    /// <summary>Configuration and services for the commands that work on the database without serving.</summary>
    public static async Task<ServiceProvider> OpenServicesAsync(string? dataDir, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>();
        if (dataDir is not null)
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
            .AddContentWatch(configuration)
            .BuildServiceProvider();
        await services.PrepareStorageAsync(configuration, cancellationToken);
        return services;
    }
}

/// <summary>A command line that names something wrong: exit 2 with one line saying what.</summary>
public sealed class UsageException(string message) : Exception(message);
