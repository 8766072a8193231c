using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace ContentWatch.Core.Export;

/// <summary>Writes an export as CSV, one notice a row, with the JSON's fields as columns (notifier split in two; keywords separated by spaces).</summary>
public static class NoticeCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "exportId", "platform", "referralId", "itemId", "url", "category", "explanation", "notifierName", "notifierEmail",
        "goodFaithStatement", "automatedDetection", "evidenceSha256", "reportedAt", "decidedAt", "dsaCategory", "dsaCategorySpecification",
    ];

    /// <summary>
    /// The settings of every CSV ContentWatch writes: invariant culture, and a cell that a spreadsheet would run as a
    /// formula (=, @, +, -, tab, CR first) prefixed with an apostrophe.
    /// </summary>
    public static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };

    public static async Task WriteAsync(ExportDocument document, TextWriter writer, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        foreach (var n in document.Notices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] row =
            [
                document.Id, document.Platform, n.ReferralId, n.ItemId, n.Url, n.Category, n.Explanation, n.Notifier.Name,
                n.Notifier.Email, n.GoodFaithStatement, n.AutomatedDetection ? "true" : "false", n.EvidenceSha256,
                n.ReportedAt.ToString("O", CultureInfo.InvariantCulture), n.DecidedAt.ToString("O", CultureInfo.InvariantCulture),
                n.DsaCategory ?? "", string.Join(' ', n.DsaCategorySpecification ?? []),
            ];
            foreach (var field in row)
            {
                csv.WriteField(field);
            }

            await csv.NextRecordAsync();
        }
    }
}
