using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Reports;
using ContentWatch.Web.Reports;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch report --from --to --format html|csv|json [--output FILE]</c>: the transparency report on the unit's notices.</summary>
public static class ReportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var from = TimeOption("--from", "First moment of the period (ISO 8601 date or date-time, UTC unless it says otherwise).");
        var to = TimeOption("--to", "End of the period, not included (ISO 8601 date or date-time).");
        var format = new Option<string>("--format")
        {
            Description = "html (printable, with the dashboard's charts), csv or json.",
            HelpName = "html|csv|json",
            DefaultValueFactory = _ => "html",
            CustomParser = r => r.Tokens.Single().Value is var value && value is "html" or "csv" or "json" ? value : Fail<string>(r, "--format must be html, csv or json"),
        };
        var output = new Option<string?>("--output") { Description = "Write the report to this file (default, or -: standard output).", HelpName = "FILE" };
        var dataDir = CommandLine.DataDirOption();
        var command = new Command(
            "report",
            "The transparency report on notices sent in [from, to): per platform, category and language, notices, outcomes, removal rate " +
            "(reported and observed), median and p90 time to removal, overdue referrals, and the precision of automated flags.")
        {
            from, to, format, output, dataDir,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(from)!.Value, result.GetRequiredValue(to)!.Value, result.GetRequiredValue(format), result.GetValue(output), result.GetValue(dataDir), cancellationToken));
        return command;
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Required = true,
        Description = description,
        HelpName = "DATE",
        CustomParser = r => ReportParser.TryParseTimestamp(r.Tokens.Single().Value, out var value) ? value : Fail<DateTimeOffset?>(r, $"{name} must be an ISO 8601 date or date-time"),
    };

    private static T? Fail<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }

    private static async Task<int> RunAsync(
        DateTimeOffset from, DateTimeOffset to, string format, string? output, string? dataDir, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            throw new UsageException("--from must be before --to");
        }

        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        var report = await services.GetRequiredService<TransparencyReportService>().BuildAsync(from, to, cancellationToken);
        if (output is null or "-")
        {
            await WriteAsync(report, format, Console.Out, cancellationToken);
        }
        else
        {
            await using var file = new StreamWriter(output);
            await WriteAsync(report, format, file, cancellationToken);
        }

        return 0;
    }

    private static async Task WriteAsync(TransparencyReport report, string format, TextWriter writer, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case "csv":
                await TransparencyCsv.WriteAsync(report, writer, cancellationToken);
                break;
            case "json":
                await writer.WriteAsync(JsonSerializer.Serialize(report, Json));
                break;
            default:
                await writer.WriteAsync(TransparencyHtml.Render(report));
                break;
        }

        await writer.FlushAsync(cancellationToken);
    }
}
