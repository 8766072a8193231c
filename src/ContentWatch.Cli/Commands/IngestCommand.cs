using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Intake;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch ingest FILE</c>: imports JSONL or CSV in transactions of up to 1,000 reports.</summary>
public static class IngestCommand
{
    private const int ChunkSize = 1_000;
    private const int MaxListedRejects = 100;

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(arguments, cancellationToken);
        arguments.RejectUnknown();
        if (arguments.Positionals.Count != 1)
        {
            throw new UsageException("ingest takes one FILE (JSONL or CSV)");
        }

        var path = arguments.Positionals[0];
        var intake = services.GetRequiredService<IntakeService>();
        int stored = 0, duplicates = 0, rejected = 0;
        var rejects = new List<string>();
        var chunk = new List<ReportInput>(ChunkSize);
        async Task FlushAsync()
        {
            var results = await intake.StoreAsync(chunk, "import", null, cancellationToken);
            stored += results.Count(r => r.DuplicateOf is null);
            duplicates += results.Count(r => r.DuplicateOf is not null);
            chunk.Clear();
        }

        await using var stream = File.OpenRead(path);
        using (var progress = new ConsoleProgress("ingest"))
        {
            await foreach (var record in ReportFileReader.ReadAsync(stream, ReportFileReader.IsCsv(path), cancellationToken))
            {
                if (record.Report is null)
                {
                    rejected++;
                    if (rejects.Count < MaxListedRejects)
                    {
                        rejects.Add($"  line {record.Line}: " + string.Join("; ", record.Errors.Select(e => $"{e.Field} {e.Message}")));
                    }
                }
                else
                {
                    chunk.Add(record.Report);
                    if (chunk.Count == ChunkSize)
                    {
                        await FlushAsync();
                    }
                }

                progress.Report(stream.Position, stream.Length, "bytes");
            }

            await FlushAsync();
            progress.Report(stream.Length, stream.Length, "bytes");
        }

        Console.WriteLine($"stored {stored}, duplicates {duplicates}, rejected {rejected}");
        foreach (var line in rejects)
        {
            Console.WriteLine(line);
        }

        if (rejected > rejects.Count)
        {
            Console.WriteLine($"  … and {rejected - rejects.Count} more rejected lines");
        }

        return rejected > 0 ? 1 : 0;
    }
}
