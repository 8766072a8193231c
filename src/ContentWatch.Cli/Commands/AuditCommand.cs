using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Audit;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch audit verify</c>: walks the audit hash chain and the sealed evidence; exit 1 at any broken link or hash.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var dataDir = CommandLine.DataDirOption();
        var verify = new Command(
            "verify",
            "Check the audit hash chains (decisions, the watchlist's adds and removes) and every sealed evidence snapshot; print each broken link or hash and exit 1 if any.")
        {
            dataDir,
        };
        verify.SetAction((result, cancellationToken) => VerifyAsync(result.GetValue(dataDir), cancellationToken));
        return new Command("audit", "Check the audit trail.") { verify };
    }

    private static async Task<int> VerifyAsync(string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        var report = await services.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
        foreach (var fault in report.Faults)
        {
            Console.WriteLine($"BROKEN\t{fault.Table}\t{fault.RecordId}\t{fault.Problem}");
        }

        var (decisions, watchlist) = (report.Decisions, report.Watchlist);
        Console.WriteLine(
            $"{decisions.Records} decisions ({decisions.Unchained} from before the chain began), " +
            $"{watchlist.Records} watchlist records ({watchlist.Unchained} from before the chain began), {report.Snapshots} evidence snapshots; " +
            (report.Intact ? "chains intact" : $"{report.Faults.Count} faults") +
            $"; decisions head {decisions.HeadHash ?? "(none)"}, watchlist head {watchlist.HeadHash ?? "(none)"}");
        return report.Intact ? 0 : 1;
    }
}
