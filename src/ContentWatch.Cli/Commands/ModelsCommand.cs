using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Models;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch models list | import FILE | shadow ID | activate ID | promote ID | retire ID</c>: the model registry.
/// Activating goes through the promotion gate, which prints its comparison either way; <c>--force</c> skips its refusal
/// (audited). Running services pick a change up within <c>Models:PollSeconds</c>.
/// </summary>
public static class ModelsCommand
{
    /// <summary>Model files larger than this are refused unread.</summary>
    public const long MaxModelBytes = 512L * 1024 * 1024;

    public static Command Create()
    {
        var listDataDir = CommandLine.DataDirOption();
        var list = new Command("list", "List registered models: id, status, registered, golden-set and leave-one-writer-out harmful F1, SHA-256.") { listDataDir };
        list.SetAction((result, ct) => ListAsync(result.GetValue(listDataDir), ct));

        var file = new Argument<string>("FILE") { Description = "A model file written by 'contentwatch train'." };
        var importDataDir = CommandLine.DataDirOption();
        var import = new Command("import", "Register a model file as a candidate (with its golden-set figures); prints its id on the last line.") { file, importDataDir };
        import.SetAction((result, ct) => ImportAsync(result.GetRequiredValue(file), result.GetValue(importDataDir), ct));

        return new Command("models", "The model registry: list, import, shadow, activate (through the promotion gate), promote, retire.")
        {
            list,
            import,
            StatusCommand("shadow", "Put a model in shadow: it scores every new item beside the active one and never queues anything.", ModelStatus.Shadow),
            StatusCommand("activate", "Make a model active through the promotion gate (the same as promote); the active one is retired. Rolling back is activating the previous model.", ModelStatus.Active),
            StatusCommand("promote", "Compare a model with the active one on the golden set and held-out decisions, print the comparison, and activate it unless it is worse.", ModelStatus.Active),
            StatusCommand("retire", "Retire a candidate or the shadow model.", ModelStatus.Retired),
        };
    }

    /// <summary>Who the audit names for a change made from the command line.</summary>
    public static string Actor => "cli:" + Environment.UserName;

    private static Command StatusCommand(string name, string description, string status)
    {
        var id = new Argument<string>("ID") { Description = "The model's id, as 'models list' shows it." };
        var dataDir = CommandLine.DataDirOption();
        var command = new Command(name, description) { id, dataDir };
        Option<bool>? force = null;
        if (status != ModelStatus.Retired)
        {
            force = new Option<bool>("--force") { Description = "Activate even when the promotion gate finds it worse (audited as forced)." };
            command.Add(force);
        }

        command.SetAction((result, ct) => ChangeAsync(result.GetRequiredValue(id), status, force is not null && result.GetValue(force), result.GetValue(dataDir), ct));
        return command;
    }

    private static async Task<ServiceProvider> OpenAsync(string? dataDir, CancellationToken cancellationToken)
    {
        var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        await services.SeedModelAsync(cancellationToken);
        return services;
    }

    private static async Task<int> ListAsync(string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await OpenAsync(dataDir, cancellationToken);
        var models = await services.GetRequiredService<IModelStore>().ListAsync(cancellationToken);
        Console.WriteLine("id\tstatus\tregistered\tgolden F1\tLOWO mean F1\tsha256");
        foreach (var m in models)
        {
            Console.WriteLine(string.Join('\t', m.Id, m.Status, m.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                Figure(m.Metrics.Golden?.F1), Figure(m.Metrics.LeaveOneWriterOut?.MeanHarmfulF1), m.Sha256[..12]));
        }

        return 0;
    }

    private static async Task<int> ImportAsync(string path, string? dataDir, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UsageException($"no model file {path}");
        }

        if (info.Length > MaxModelBytes)
        {
            throw new UsageException($"{path} is {info.Length:N0} bytes; a model file is at most {MaxModelBytes:N0}");
        }

        await using var services = await OpenAsync(dataDir, cancellationToken);
        var (model, created) = await services.GetRequiredService<ModelRegistry>().ImportAsync(await File.ReadAllBytesAsync(path, cancellationToken), Actor, cancellationToken);
        Console.WriteLine(created ? $"registered {model.Id} as a candidate" : $"{model.Id} is registered already ({model.Status})");
        Console.WriteLine($"sha256 {model.Sha256}");
        if (model.Metrics.Golden is { } golden)
        {
            Console.WriteLine(FormattableString.Invariant($"golden set: {golden.Count} items, harmful precision {golden.Precision:0.000}, recall {golden.Recall:0.000}, F1 {golden.F1:0.000} at {golden.Threshold:0.0000}"));
        }

        Console.WriteLine(model.Id);
        return 0;
    }

    private static async Task<int> ChangeAsync(string id, string status, bool force, string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await OpenAsync(dataDir, cancellationToken);
        var registry = services.GetRequiredService<ModelRegistry>();
        var result = status switch
        {
            ModelStatus.Active => await registry.ActivateAsync(id, Actor, force, cancellationToken),
            ModelStatus.Shadow => await registry.ShadowAsync(id, Actor, force, cancellationToken),
            _ => await registry.RetireAsync(id, Actor, cancellationToken),
        };
        if (result.Comparison is { } comparison)
        {
            foreach (var line in PromotionGate.Describe(comparison))
            {
                Console.WriteLine(line);
            }
        }

        switch (result.Outcome)
        {
            case RegistryOutcome.Done:
                Console.WriteLine($"{id} is {status}{(force && result.Comparison?.Worse == true ? " (forced past the gate; audited)" : "")}; running services take it up within Models:PollSeconds");
                return 0;
            case RegistryOutcome.Unchanged:
                Console.WriteLine(result.Message);
                return 0;
            case RegistryOutcome.Refused:
                await Console.Error.WriteLineAsync($"contentwatch: refused: {id} is worse than the active model ({string.Join("; ", result.Comparison!.Reasons)}); --force activates it anyway (audited)");
                return 1;
            default:
                await Console.Error.WriteLineAsync($"contentwatch: {result.Message}");
                return 1;
        }
    }

    private static string Figure(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";
}
