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

    public sealed record Options(DateTimeOffset From, DateTimeOffset To, string Format, string? Output, string? DataDirectory);

    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var from = Time(arguments.Required("from"), "from");
        var to = Time(arguments.Required("to"), "to");
        var format = arguments.Option("format") ?? "html";
        var options = new Options(from, to, format, arguments.Option("output"), arguments.Option("data-dir"));
        arguments.RejectUnknown();
        if (format is not ("html" or "csv" or "json"))
        {
            throw new UsageException("--format must be html, csv or json");
        }

        if (from >= to)
        {
            throw new UsageException("--from must be before --to");
        }

        return await RunAsync(options, cancellationToken);
    }

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var services = await CommandLine.OpenServicesAsync(options.DataDirectory, cancellationToken);
        var report = await services.GetRequiredService<TransparencyReportService>().BuildAsync(options.From, options.To, cancellationToken);
        await using var writer = options.Output is null ? Console.Out : new StreamWriter(options.Output);
        switch (options.Format)
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
        return 0;
    }

    private static DateTimeOffset Time(string text, string name) =>
        ReportParser.TryParseTimestamp(text, out var value) ? value : throw new UsageException($"--{name} must be an ISO 8601 date or date-time");
}
