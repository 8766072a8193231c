using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Rechecks;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch recheck</c>: one takedown re-check pass over the open referrals now, then exits.</summary>
public static class RecheckCommand
{
    public sealed record Options(string? DataDirectory);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new Options(arguments.Option("data-dir"));
        arguments.RejectUnknown();
        return await RunAsync(options, cancellationToken);
    }

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var services = await CommandLine.OpenServicesAsync(options.DataDirectory, cancellationToken);
        var summary = await services.GetRequiredService<RecheckService>().RunPassAsync(cancellationToken);
        Console.WriteLine($"checked {summary.Checked}: {summary.Live} live, {summary.Changed} changed, {summary.Gone} gone, {summary.Errors} without an answer; {summary.MarkedRemoved} marked removed (observed)");
        return 0;
    }
}
