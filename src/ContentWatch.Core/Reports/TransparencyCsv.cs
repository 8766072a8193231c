using System.Globalization;
using CsvHelper;
using ContentWatch.Core.Export;
using ContentWatch.Core.Referral;

namespace ContentWatch.Core.Reports;

/// <summary>The transparency report as CSV: one row per line, per-platform and total lines included (<c>*</c>).</summary>
public static class TransparencyCsv
{
    private static readonly string[] Outcomes = [ReferralStatus.Exported, .. ReferralStatus.Reportable];

    public static readonly IReadOnlyList<string> Columns =
    [
        "from", "to", "platform", "category", "language", "noticesSent",
        .. Outcomes.Select(s => "outcome_" + s),
        "removedReported", "removedObserved", "removalRate", "removalRateReported", "removalRateObserved",
        "medianHoursToRemoval", "p90HoursToRemoval", "overdue", "flagsConfirmed", "flagsRejected", "precision",
    ];

    public static async Task WriteAsync(TransparencyReport report, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var csv = new CsvWriter(writer, NoticeCsv.Configuration, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        foreach (var line in report.Lines.Concat(report.Platforms).Append(report.Total))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] fields =
            [
                report.From.ToString("O", CultureInfo.InvariantCulture), report.To.ToString("O", CultureInfo.InvariantCulture),
                line.Platform, line.Category, line.Language, Num(line.NoticesSent),
                .. Outcomes.Select(s => Num(line.Outcomes.GetValueOrDefault(s))),
                Num(line.RemovedReported), Num(line.RemovedObserved), Num(line.RemovalRate), Num(line.RemovalRateReported),
                Num(line.RemovalRateObserved), Num(line.MedianHoursToRemoval), Num(line.P90HoursToRemoval), Num(line.Overdue),
                Num(line.FlagsConfirmed), Num(line.FlagsRejected), Num(line.Precision),
            ];
            foreach (var field in fields)
            {
                csv.WriteField(field);
            }

            await csv.NextRecordAsync();
        }
    }

    private static string Num(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
