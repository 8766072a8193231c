using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Audit;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch audit verify</c>: walks the decisions hash chain and the sealed evidence; exit 1 at any broken link or hash.</summary>
public static class AuditCommand
{
    public sealed record Options(string? DataDirectory);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Positionals is not ["verify"])
        {
            throw new UsageException("use: audit verify");
        }

        var options = new Options(arguments.Option("data-dir"));
        arguments.RejectUnknown();
        return await VerifyAsync(options, cancellationToken);
    }

    public static async Task<int> VerifyAsync(Options options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var services = await CommandLine.OpenServicesAsync(options.DataDirectory, cancellationToken);
        var report = await services.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
        foreach (var fault in report.Faults)
        {
            Console.WriteLine($"BROKEN\t{fault.Table}\t{fault.RecordId}\t{fault.Problem}");
        }

        Console.WriteLine($"{report.Decisions} decisions ({report.Unchained} from before the chain began), {report.Snapshots} evidence snapshots; " +
            (report.Intact ? "chain intact" : $"{report.Faults.Count} faults") + $"; head {report.HeadHash ?? "(none)"}");
        return report.Intact ? 0 : 1;
    }
}
