using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentWatch.Core.Intake;

/// <summary>One line (JSONL) or record (CSV) of an import file: a report, or the reasons it was rejected.</summary>
public sealed record FileRecord(long Line, ReportInput? Report, IReadOnlyList<FieldError> Errors);

/// <summary>
/// Streams reports out of JSONL or CSV files (<see cref="RecordFileReader"/>) with the same fields and checks as
/// <c>POST /api/reports</c>. CSV columns are the JSON field names; the reporter's fields are <c>reporter.name</c>,
/// <c>reporter.email</c>, <c>reporter.organisation</c> (or with an underscore); empty cells are absent fields. Records
/// longer than <see cref="MaxLineChars"/> are rejected unread.
/// </summary>
public static class ReportFileReader
{
    public const int MaxLineChars = 100_000;

    public static bool IsCsv(string path) => RecordFileReader.IsCsv(path);

    public static async IAsyncEnumerable<FileRecord> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        await foreach (var record in ReadAsync(stream, IsCsv(path), cancellationToken))
        {
            yield return record;
        }
    }

    /// <summary>Reads from <paramref name="stream"/>, leaving it open.</summary>
    public static async IAsyncEnumerable<FileRecord> ReadAsync(Stream stream, bool csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in RecordFileReader.ReadAsync(stream, csv, MaxLineChars, lowerCaseHeader: false, [], cancellationToken))
        {
            if (!record.IsReadable)
            {
                yield return new FileRecord(record.Line, null, record.Errors);
                continue;
            }

            var (value, errors) = csv ? FromColumns(record.Value) : (record.Value, []);
            if (errors.Count > 0)
            {
                yield return new FileRecord(record.Line, null, errors);
                continue;
            }

            var (report, reportErrors) = ReportParser.Parse(value);
            yield return new FileRecord(record.Line, report, reportErrors);
        }
    }

    /// <summary>A CSV record's columns as a report object: empty cells left out, <c>reporter.*</c> and <c>reporter_*</c> nested.</summary>
    private static (JsonElement Value, IReadOnlyList<FieldError> Errors) FromColumns(JsonElement columns)
    {
        var row = new JsonObject();
        var reporter = new JsonObject();
        var errors = new List<FieldError>();
        foreach (var column in columns.EnumerateObject())
        {
            var value = column.Value.GetString();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var nested = column.Name.StartsWith("reporter.", StringComparison.OrdinalIgnoreCase) || column.Name.StartsWith("reporter_", StringComparison.OrdinalIgnoreCase);
            var (target, name) = nested ? (reporter, column.Name["reporter.".Length..]) : (row, column.Name);
            if (!target.TryAdd(name, value))
            {
                errors.Add(new FieldError(nested ? "reporter." + name : name, "is given more than once"));
            }
        }

        if (reporter.Count > 0 && !row.TryAdd("reporter", reporter))
        {
            errors.Add(new FieldError("reporter", "is given more than once"));
        }

        return (JsonSerializer.SerializeToElement(row), errors);
    }
}
