using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Models;
using ContentWatch.Web.Apis;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli.Commands;

/// <summary>
/// <c>contentwatch rescore --model ID --since DATE [--include-dismissed] [--from DATE] [--to DATE]</c>: creates a rescore
/// run and works through its batches here, showing progress (a running worker's sweep may take batches too: each is
/// leased to one worker). <c>POST /api/models/{id}/rescore</c> does the same through Hangfire jobs.
/// </summary>
public static class RescoreCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Required = true, Description = "The registered model to rescore with.", HelpName = "ID" };
        var since = new Option<string>("--since") { Required = true, Description = "Pending and in-review items first reported since this date (ISO 8601).", HelpName = "DATE" };
        var includeDismissed = new Option<bool>("--include-dismissed") { Description = "Also rescore dismissed items in --from..--to; those the model flags go back to review with a note." };
        var from = new Option<string?>("--from") { Description = "Start of the dismissed window (default: --since).", HelpName = "DATE" };
        var to = new Option<string?>("--to") { Description = "End of the dismissed window, exclusive (default: now).", HelpName = "DATE" };
        var dataDir = CommandLine.DataDirOption();
        var command = new Command("rescore", "Rescore pending and in-review items (and dismissed ones, on request) with a registered model.")
        {
            model, since, includeDismissed, from, to, dataDir,
        };
        command.SetAction((result, ct) => RunAsync(result.GetRequiredValue(model),
            new ModelsApi.RescoreBody(result.GetRequiredValue(since), result.GetValue(includeDismissed), result.GetValue(from), result.GetValue(to)),
            result.GetValue(dataDir), ct));
        return command;
    }

    private static async Task<int> RunAsync(string modelId, ModelsApi.RescoreBody body, string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        if (!ModelRules.IsModelId(modelId) || await services.GetRequiredService<IModelStore>().GetAsync(modelId, cancellationToken) is null)
        {
            throw new UsageException($"--model: no model {modelId} is registered (see 'contentwatch models list')");
        }

        var (request, errors) = ModelsApi.ParseRescore(modelId, body, services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (request is null)
        {
            throw new UsageException(string.Join("; ", errors.Select(e => $"--{e.Field} {e.Message}")));
        }

        await services.PrepareModelsAsync(cancellationToken);
        var rescore = services.GetRequiredService<RescoreService>();
        var run = await rescore.StartAsync(request, ModelsCommand.Actor, cancellationToken);
        Console.WriteLine($"rescore {run.Id} with {run.ModelId}: {run.Total} items in {run.Batches} batches");
        using (var bar = new ConsoleProgress("rescore"))
        {
            for (var batch = 1; batch <= run.Batches; batch++)
            {
                await rescore.RunBatchAsync(run.Id, batch, cancellationToken);
                bar.Report(batch, run.Batches, "batches");
                Console.WriteLine($"batch {batch} of {run.Batches} done");
            }
        }

        var done = await services.GetRequiredService<IRescoreStore>().GetRunAsync(run.Id, cancellationToken);
        Console.WriteLine($"{done!.Done} of {done.Total} items: " + string.Join(", ", done.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} {o.Key}")));
        if (!done.Finished)
        {
            Console.WriteLine($"{done.Batches - done.BatchesDone} batches are held by a running worker; 'GET /api/rescores/{run.Id}' shows their progress");
        }

        return 0;
    }
}
