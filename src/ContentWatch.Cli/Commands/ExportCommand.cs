using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch export [--platform P] [--output DIR]</c>: builds export batches and optionally writes them as JSON and CSV.</summary>
public static class ExportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var platform = new Option<string?>("--platform") { Description = "Only this platform's pending referrals (default: every platform).", HelpName = "P" };
        var output = new Option<string?>("--output") { Description = "Also write each batch as contentwatch-P-ID.json and .csv in this folder.", HelpName = "DIR" };
        var dataDir = CommandLine.DataDirOption();
        var command = new Command("export", "Put pending referrals into export batches (DSA Article 16 notices).") { platform, output, dataDir };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(platform)?.ToLowerInvariant(), result.GetValue(output), result.GetValue(dataDir), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? platform, string? output, string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        if (platform is not null && !ReportParser.IsPlatformName(platform))
        {
            throw new UsageException("--platform: use letters, digits, '.', '_' or '-' (at most 64)");
        }

        var exports = services.GetRequiredService<ExportService>();
        IReadOnlyList<ExportBatch> batches = platform is null
            ? await exports.ExportAllPendingAsync(cancellationToken)
            : await exports.CreateBatchAsync(platform, cancellationToken) is { } one ? [one] : [];
        if (batches.Count == 0)
        {
            Console.WriteLine("nothing pending");
            return 0;
        }

        var store = services.GetRequiredService<IExportStore>();
        foreach (var batch in batches)
        {
            Console.WriteLine($"{batch.Platform}\t{batch.Id}\t{batch.Count} notices\t{batch.CreatedAt:O}");
            if (output is null)
            {
                continue;
            }

            Directory.CreateDirectory(output);
            var document = await store.GetDocumentAsync(batch.Platform, batch.Id, cancellationToken)
                ?? throw new InvalidOperationException($"export {batch.Id} vanished");
            var stem = Path.Combine(output, $"contentwatch-{batch.Platform}-{batch.Id}");
            await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(document, Json), cancellationToken);
            await using var csv = new StreamWriter(stem + ".csv");
            await NoticeCsv.WriteAsync(document, csv, cancellationToken);
        }

        return 0;
    }
}
