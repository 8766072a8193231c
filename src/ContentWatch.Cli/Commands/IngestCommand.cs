using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Intake;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch ingest FILE</c>: imports JSONL or CSV in transactions of up to 1,000 reports.</summary>
public static class IngestCommand
{
    private const int MaxListedRejects = 100;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "JSONL or CSV of reports (CSV columns: the JSON field names, reporter.name, ...)." };
        var dataDir = CommandLine.DataDirOption();
        var command = new Command("ingest", "Import reports from JSONL or CSV; prints counts and rejected line numbers, exit 1 when lines were rejected.") { file, dataDir };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetRequiredValue(file), result.GetValue(dataDir), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        var rejects = new List<string>();
        await using var stream = File.OpenRead(path);
        ImportResult result;
        using (var progress = new ConsoleProgress("ingest"))
        {
            var records = ReportFileReader.ReadAsync(stream, ReportFileReader.IsCsv(path), cancellationToken);
            result = await services.GetRequiredService<ReportImporter>().ImportAsync(records, "import", null, record =>
            {
                if (record.Report is null && rejects.Count < MaxListedRejects)
                {
                    rejects.Add($"  line {record.Line}: " + string.Join("; ", record.Errors.Select(e => $"{e.Field} {e.Message}")));
                }

                progress.Report(stream.Position, stream.Length, "bytes");
            }, cancellationToken);
            progress.Report(stream.Length, stream.Length, "bytes");
        }

        Console.WriteLine($"stored {result.Stored}, duplicates {result.Duplicates}, rejected {result.Rejected}");
        foreach (var line in rejects)
        {
            Console.WriteLine(line);
        }

        if (result.Rejected > rejects.Count)
        {
            Console.WriteLine($"  … and {result.Rejected - rejects.Count} more rejected lines");
        }

        return result.Rejected > 0 ? 1 : 0;
    }
}
