using Microsoft.Extensions.Options;
using ContentWatch.Core.Models;

namespace ContentWatch.Web.Hosting;

/// <summary>
/// Looks at the model registry every <see cref="ModelsOptions.PollSeconds"/> (one indexed read of the active and shadow
/// rows) and loads a newly active or shadow model, so every node swaps within that time without a restart. A batch
/// being classified finishes with the models it started with; the next one takes the new ones.
/// </summary>
public sealed class ModelWatcher(ModelRegistry registry, IOptions<ModelsOptions> options, TimeProvider time, ILogger<ModelWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await registry.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reading the model registry failed; this node keeps its models and looks again in {Seconds} s", options.Value.PollSeconds);
            }
        }
    }
}
