using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;

namespace ContentWatch.Core.Intake;

/// <summary>One line (JSONL) or record (CSV) of an import file: a report, or the reasons it was rejected.</summary>
public sealed record FileRecord(long Line, ReportInput? Report, IReadOnlyList<FieldError> Errors);

/// <summary>
/// Streams reports out of JSONL or CSV files with the same fields and checks as <c>POST /api/reports</c>.
/// CSV columns are the JSON field names; the reporter's fields are <c>reporter.name</c>, <c>reporter.email</c>,
/// <c>reporter.organisation</c> (or with an underscore). Lines longer than <see cref="MaxLineChars"/> are rejected unread.
/// </summary>
public static class ReportFileReader
{
    public const int MaxLineChars = 100_000;

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

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
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var records = csv ? ReadCsvAsync(reader, cancellationToken) : ReadJsonLinesAsync(reader, cancellationToken);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            yield return record;
        }
    }

    private static async IAsyncEnumerable<FileRecord> ReadJsonLinesAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lineNumber = 0;
        while (BoundedLineReader.ReadLine(reader, MaxLineChars) is { } line)
        {
            lineNumber++;
            cancellationToken.ThrowIfCancellationRequested();
            if (line.TooLong)
            {
                yield return new FileRecord(lineNumber, null, [new FieldError("$", $"the line is longer than {MaxLineChars} characters")]);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            yield return ParseJsonLine(lineNumber, line.Text);
        }
    }

    private static FileRecord ParseJsonLine(long lineNumber, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            var (report, errors) = ReportParser.Parse(document.RootElement);
            return new FileRecord(lineNumber, report, errors);
        }
        catch (JsonException e)
        {
            return new FileRecord(lineNumber, null, [new FieldError("$", "invalid JSON: " + e.Message)]);
        }
    }

    private static async IAsyncEnumerable<FileRecord> ReadCsvAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            MaxFieldSize = MaxLineChars,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!await csv.ReadAsync())
        {
            yield break;
        }

        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        while (true)
        {
            bool more;
            FileRecord? failed = null;
            try
            {
                more = await csv.ReadAsync();
            }
            catch (CsvHelperException e)
            {
                failed = new FileRecord(csv.Parser.RawRow, null, [new FieldError("$", "unreadable CSV record: " + e.Message.Split('\n')[0])]);
                more = false;
            }

            if (failed is not null)
            {
                yield return failed;
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var row = new JsonObject();
            var reporter = new JsonObject();
            for (var i = 0; i < header.Length; i++)
            {
                var value = csv.GetField(i);
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                var name = header[i].Trim();
                if (name.StartsWith("reporter.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("reporter_", StringComparison.OrdinalIgnoreCase))
                {
                    reporter[name["reporter.".Length..]] = value;
                }
                else
                {
                    row[name] = value;
                }
            }

            if (reporter.Count > 0)
            {
                row["reporter"] = reporter;
            }

            var (report, errors) = ReportParser.Parse(JsonSerializer.SerializeToElement(row));
            yield return new FileRecord(csv.Parser.RawRow, report, errors);
        }
    }
}

/// <summary>Reads a line without ever holding more than a bound of it in memory.</summary>
internal static class BoundedLineReader
{
    public readonly record struct Line(string Text, bool TooLong);

    public static Line? ReadLine(TextReader reader, int maxChars)
    {
        var builder = new StringBuilder();
        var tooLong = false;
        var any = false;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            any = true;
            var c = (char)next;
            if (c == '\n')
            {
                return new Line(builder.ToString().TrimEnd('\r'), tooLong);
            }

            if (builder.Length < maxChars)
            {
                builder.Append(c);
            }
            else
            {
                tooLong = true;
            }
        }

        return any ? new Line(builder.ToString(), tooLong) : null;
    }
}
