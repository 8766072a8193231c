using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ContentWatch.Core.Intake;

/// <summary>
/// One record of a JSONL or CSV file: the line it starts on and its value (a CSV record is an object of its columns,
/// named by the header), or what makes it unreadable (<see cref="Errors"/>, with <c>$</c> for the whole record).
/// </summary>
public sealed record RawRecord(long Line, JsonElement Value, IReadOnlyList<FieldError> Errors)
{
    public bool IsReadable => Errors.Count == 0;

    public static RawRecord Unreadable(long line, string message) => new(line, default, [new FieldError("$", message)]);
}

/// <summary>
/// The one reader of JSONL and CSV files (ingest, folder scans, classify, evaluate, training), bounded and strict:
/// <list type="bullet">
/// <item>a record longer than its bound is rejected without being held;</item>
/// <item>bytes that are not UTF-8 reject their record (never replaced by U+FFFD: evidence hashes are of what was reported);</item>
/// <item>a JSON string with a lone surrogate, or a key given twice, rejects its record, naming the field;</item>
/// <item>a CSV quote left open rejects the record it starts and the lines after it are read again as records, so one
/// stray quote cannot swallow the rest of the file.</item>
/// </list>
/// Every problem is reported with the line number the record starts on, and reading goes on.
/// CSV is RFC 4180: comma-separated, fields optionally in double quotes (<c>""</c> for a quote, line breaks allowed
/// inside), the first non-blank record is the header, and blank lines between records are skipped.
/// </summary>
public static class RecordFileReader
{
    public const int MaxJsonDepth = 16;

    /// <summary>How the message of a JSONL line that does not parse begins.</summary>
    public const string InvalidJson = "invalid JSON";

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <paramref name="stream"/> (leaving it open) as CSV or JSONL, records of at most <paramref name="maxRecordChars"/> characters.</summary>
    /// <param name="lowerCaseHeader">Lower-cases (and trims) CSV column names; otherwise they are only trimmed.</param>
    /// <param name="requiredColumns">CSV columns the header must name; without them <see cref="InvalidDataException"/> is thrown.</param>
    public static IAsyncEnumerable<RawRecord> ReadAsync(Stream stream, bool csv, int maxRecordChars, bool lowerCaseHeader,
        IReadOnlyList<string> requiredColumns, CancellationToken cancellationToken) =>
        csv ? ReadCsvAsync(new LineSource(stream, MaxBytes(maxRecordChars)), maxRecordChars, lowerCaseHeader, requiredColumns, cancellationToken)
            : ReadJsonLinesAsync(new LineSource(stream, MaxBytes(maxRecordChars)), maxRecordChars, cancellationToken);

    /// <summary>A UTF-16 character takes at most three UTF-8 bytes (a surrogate pair, two characters, takes four).</summary>
    private static int MaxBytes(int maxChars) => (int)Math.Min(int.MaxValue / 2, 3L * maxChars);

    private static async IAsyncEnumerable<RawRecord> ReadJsonLinesAsync(LineSource lines, int maxChars, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await lines.NextAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var bytes = line.WithoutCr();
            if (!line.TooLong && IsBlank(bytes))
            {
                continue;
            }

            yield return line.TooLong || (bytes.Length > maxChars && Utf8Chars(bytes) > maxChars)
                ? RawRecord.Unreadable(line.Number, $"the line is longer than {maxChars} characters")
                : !Utf8.IsValid(bytes.Span)
                    ? RawRecord.Unreadable(line.Number, "the line is not valid UTF-8")
                    : ParseJson(line.Number, bytes);
        }
    }

    private static RawRecord ParseJson(long line, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            var value = document.RootElement.Clone();
            return new RawRecord(line, value, JsonText.FindProblems(value));
        }
        catch (JsonException e)
        {
            return RawRecord.Unreadable(line, InvalidJson + ": " + e.Message);
        }
    }

    private static async IAsyncEnumerable<RawRecord> ReadCsvAsync(LineSource lines, int maxChars, bool lowerCaseHeader, IReadOnlyList<string> requiredColumns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[]? header = null;
        while (await NextCsvRecordAsync(lines, maxChars, cancellationToken).ConfigureAwait(false) is { } record)
        {
            if (record.Error is not null)
            {
                yield return RawRecord.Unreadable(record.Line, record.Error);
                if (header is null)
                {
                    yield break; // without a header no record can be read
                }

                continue;
            }

            if (header is null)
            {
                header = [.. record.Fields!.Select(f => lowerCaseHeader ? f.Trim().ToLowerInvariant() : f.Trim())];
                var missing = requiredColumns.Except(header, StringComparer.Ordinal).ToList();
                if (missing.Count > 0)
                {
                    throw new InvalidDataException($"the CSV header must name the column{(missing.Count > 1 ? "s" : "")} {string.Join(" and ", missing)}.");
                }

                continue;
            }

            yield return ToObject(record.Line, header, record.Fields!);
        }
    }

    private static RawRecord ToObject(long line, string[] header, List<string> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < Math.Min(header.Length, fields.Count); i++)
            {
                if (header[i].Length > 0)
                {
                    writer.WriteString(header[i], fields[i]);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var value = document.RootElement.Clone();
        return new RawRecord(line, value, JsonText.FindProblems(value)); // a column named twice
    }

    private sealed record CsvRecord(long Line, List<string>? Fields, string? Error);

    /// <summary>The next CSV record: its physical lines are taken until no quote is left open.</summary>
    private static async Task<CsvRecord?> NextCsvRecordAsync(LineSource lines, int maxChars, CancellationToken cancellationToken)
    {
        while (await lines.NextAsync(cancellationToken).ConfigureAwait(false) is { } first)
        {
            if (first.TooLong)
            {
                return new CsvRecord(first.Number, null, $"the record is longer than {maxChars} characters");
            }

            if (IsBlank(first.WithoutCr()))
            {
                continue;
            }

            var parts = new List<PhysicalLine> { first };
            var bytes = first.Bytes.Length;
            while (true)
            {
                var split = CsvSplit(parts);
                if (split.StrayQuote && parts.Count > 1)
                {
                    // A quote opened on the first line closed lines later, mid-field: most likely it was never meant to
                    // be closed. Reject the first line and read the lines after it again.
                    PushBack(lines, parts, null);
                    return new CsvRecord(first.Number, null, "a quoted field is not closed on its line (a later quote closes it mid-field)");
                }

                if (!split.Open)
                {
                    var tooLong = bytes > maxChars && parts.Sum(p => Utf8Chars(p.Bytes)) + parts.Count - 1 > maxChars;
                    return tooLong ? new CsvRecord(first.Number, null, $"the record is longer than {maxChars} characters") : new CsvRecord(first.Number, split.Fields, split.Error);
                }

                var next = await lines.NextAsync(cancellationToken).ConfigureAwait(false);
                if (next is null || next.TooLong || bytes + 1 + next.Bytes.Length > lines.MaxBytes)
                {
                    // A quote left open: reject the line it opened on and read the lines after it again, so it swallows nothing.
                    PushBack(lines, parts, next);
                    return new CsvRecord(first.Number, null, next is null
                        ? "a quoted field is not closed: its quote runs to the end of the file"
                        : $"a quoted field is not closed within {maxChars} characters");
                }

                parts.Add(next);
                bytes += 1 + next.Bytes.Length;
            }
        }

        return null;
    }

    /// <summary>Puts back the lines after a record's first, and <paramref name="next"/> after them, to be read again.</summary>
    private static void PushBack(LineSource lines, List<PhysicalLine> parts, PhysicalLine? next)
    {
        if (next is not null)
        {
            lines.PushBack(next);
        }

        for (var i = parts.Count - 1; i >= 1; i--)
        {
            lines.PushBack(parts[i]);
        }
    }

    private readonly record struct Split(bool Open, List<string>? Fields, string? Error, bool StrayQuote = false);

    /// <summary>Splits physical lines (joined by the line feeds between them) into fields, or says a quote is still open.</summary>
    private static Split CsvSplit(List<PhysicalLine> parts)
    {
        var joined = new ArrayBufferWriter<byte>();
        for (var p = 0; p < parts.Count; p++)
        {
            if (p > 0)
            {
                joined.Write("\n"u8);
            }

            joined.Write(p == parts.Count - 1 ? parts[p].WithoutCr().Span : parts[p].Bytes.Span);
        }

        var b = joined.WrittenSpan;
        var fields = new List<string>();
        var field = new ArrayBufferWriter<byte>();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < b.Length && b[i] == '"')
            {
                i++;
                var closed = false;
                while (i < b.Length)
                {
                    if (b[i] == '"')
                    {
                        if (i + 1 < b.Length && b[i + 1] == '"')
                        {
                            field.Write("\""u8);
                            i += 2;
                            continue;
                        }

                        closed = true;
                        i++;
                        break;
                    }

                    field.Write(b.Slice(i, 1));
                    i++;
                }

                if (!closed)
                {
                    return new Split(true, null, null);
                }

                if (i < b.Length && b[i] != ',')
                {
                    return new Split(false, null, "a quoted field has text after its closing quote", StrayQuote: true);
                }
            }
            else
            {
                var end = b[i..].IndexOf((byte)',');
                var length = end < 0 ? b.Length - i : end;
                field.Write(b.Slice(i, length));
                i += length;
            }

            if (!Utf8.IsValid(field.WrittenSpan))
            {
                return new Split(false, null, "the record is not valid UTF-8");
            }

            fields.Add(Encoding.UTF8.GetString(field.WrittenSpan));
            if (i >= b.Length)
            {
                return new Split(false, fields, null);
            }

            i++; // the comma
        }
    }

    private static bool IsBlank(ReadOnlyMemory<byte> bytes) => bytes.Span.IndexOfAnyExcept(" \t\r\f\v"u8) < 0;

    private static int Utf8Chars(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetCharCount(bytes.Span);

    /// <summary>A line of the file without its line feed; a line over the bound keeps none of its bytes.</summary>
    private sealed record PhysicalLine(long Number, ReadOnlyMemory<byte> Bytes, bool TooLong)
    {
        public ReadOnlyMemory<byte> WithoutCr() => Bytes.Length > 0 && Bytes.Span[^1] == '\r' ? Bytes[..^1] : Bytes;
    }

    /// <summary>Physical lines of a stream, never holding more than <see cref="MaxBytes"/> of one; a UTF-8 byte-order mark is skipped.</summary>
    private sealed class LineSource(Stream stream, int maxBytes)
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private readonly Stack<PhysicalLine> _pushedBack = new();
        private int _start;
        private int _end;
        private bool _started;
        private bool _ended;
        private long _number;

        public int MaxBytes => maxBytes;

        public void PushBack(PhysicalLine line) => _pushedBack.Push(line);

        public async Task<PhysicalLine?> NextAsync(CancellationToken cancellationToken)
        {
            if (_pushedBack.Count > 0)
            {
                return _pushedBack.Pop();
            }

            var line = new ArrayBufferWriter<byte>();
            var any = false;
            var tooLong = false;
            while (true)
            {
                if (_start == _end)
                {
                    if (_ended)
                    {
                        break;
                    }

                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                    if (_end == 0)
                    {
                        _ended = true;
                        break;
                    }

                    if (!_started)
                    {
                        _started = true;
                        _start = _buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8) ? 3 : 0;
                        continue;
                    }
                }

                any = true;
                var available = _buffer.AsSpan(_start, _end - _start);
                var newline = available.IndexOf((byte)'\n');
                var piece = newline < 0 ? available : available[..newline];
                if (!tooLong && line.WrittenCount + piece.Length > maxBytes)
                {
                    tooLong = true;
                    line = new ArrayBufferWriter<byte>();
                }

                if (!tooLong)
                {
                    line.Write(piece);
                }

                _start += piece.Length;
                if (newline >= 0)
                {
                    _start++;
                    break;
                }
            }

            return any ? new PhysicalLine(++_number, line.WrittenMemory, tooLong) : null;
        }
    }
}
