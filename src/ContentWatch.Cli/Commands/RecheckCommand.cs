using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Rechecks;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch recheck</c>: one takedown re-check pass over the open referrals now, then exits.</summary>
public static class RecheckCommand
{
    public static Command Create()
    {
        var dataDir = CommandLine.DataDirOption();
        var command = new Command(
            "recheck",
            "Re-fetch each open referral's URL once now (one request at a time per host, the Outbound rules) and record live, gone or changed; " +
            "after Rechecks:GoneAfter gone checks in a row the referral is marked removed (observed). Rechecks:Cron schedules the same pass in the workers.")
        {
            dataDir,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var services = await CommandLine.OpenServicesAsync(result.GetValue(dataDir), cancellationToken);
            var summary = await services.GetRequiredService<RecheckService>().RunPassAsync(cancellationToken);
            Console.WriteLine($"checked {summary.Checked}: {summary.Live} live, {summary.Changed} changed, {summary.Gone} gone, {summary.Errors} without an answer; {summary.MarkedRemoved} marked removed (observed)");
            return 0;
        });
        return command;
    }
}
