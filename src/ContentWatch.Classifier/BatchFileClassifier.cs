using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentWatch.Core.Classification;
using CsvHelper;
using CsvHelper.Configuration;

namespace ContentWatch.Classifier;

/// <summary>
/// The offline contract behind <c>contentwatch classify --input FILE --output FILE.jsonl</c>.
/// Input is JSON Lines (<c>id</c>, <c>text</c>, optional <c>title</c>, <c>kind</c>, <c>lang</c>) or, for a <c>.csv</c>
/// file, CSV with a header naming the same columns. Output is one JSON line per input record, in input order:
/// <c>{"id":…,"label":…,"score":…,"scores":{…},"model":"…"}</c>; a record without an id (or one that cannot be read)
/// gets its line number as its id (for CSV, the row number, the header being row 1). A record that cannot be read or has no text
/// still gets a line, with <c>"error"</c> and no label. Blank JSONL lines are not records and get no line.
/// The file is streamed in chunks of <see cref="ChunkSize"/>; text is cut to <see cref="MaxTextLength"/> characters.
/// </summary>
public static class BatchFileClassifier
{
    public const int ChunkSize = 1024;
    public const int MaxTextLength = 20_000;

    private static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>Classifies <paramref name="inputPath"/> into <paramref name="outputPath"/>; returns the number of lines written.</summary>
    /// <param name="progress">Receives the running count of lines written after each chunk.</param>
    public static async Task<int> RunAsync(string inputPath, string outputPath, ITextClassifier classifier,
        IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var outputDirectory = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (!string.IsNullOrEmpty(outputDirectory))
        {
            Directory.CreateDirectory(outputDirectory);
        }

        await using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return await RunAsync(inputPath, output, classifier, progress, ct).ConfigureAwait(false);
    }

    /// <summary>Classifies <paramref name="inputPath"/> into <paramref name="output"/> (standard output, for one); returns the number of lines written.</summary>
    public static async Task<int> RunAsync(string inputPath, Stream output, ITextClassifier classifier, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(classifier);

        var records = inputPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? ReadCsvAsync(inputPath, ct)
            : ReadJsonLinesAsync(inputPath, ct);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var chunk = new List<InputRecord>(ChunkSize);
        var written = 0;

        await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
        {
            chunk.Add(record);
            if (chunk.Count == ChunkSize)
            {
                written += await FlushChunkAsync(chunk, classifier, buffer, output, ct).ConfigureAwait(false);
                progress?.Report(written);
            }
        }

        if (chunk.Count > 0)
        {
            written += await FlushChunkAsync(chunk, classifier, buffer, output, ct).ConfigureAwait(false);
            progress?.Report(written);
        }

        await output.FlushAsync(ct).ConfigureAwait(false);
        return written;
    }

    private static async Task<int> FlushChunkAsync(List<InputRecord> chunk, ITextClassifier classifier,
        ArrayBufferWriter<byte> buffer, Stream output, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var valid = chunk.Where(r => r.Input is not null).Select(r => r.Input!).ToList();
        var predictions = valid.Count == 0 ? [] : classifier.ClassifyBatch(valid);
        if (predictions.Count != valid.Count)
        {
            throw new InvalidOperationException($"Classifier returned {predictions.Count} predictions for {valid.Count} inputs.");
        }

        buffer.Clear();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var next = 0;
            foreach (var record in chunk)
            {
                writer.Reset(buffer);
                writer.WriteStartObject();
                WriteId(writer, record);
                if (record.Input is null)
                {
                    writer.WriteString("error", record.Error);
                }
                else
                {
                    var p = predictions[next++];
                    writer.WriteString("label", p.Label);
                    writer.WriteNumber("score", Math.Round(p.Score, 6));
                    writer.WriteStartObject("scores");
                    foreach (var label in Labels.All)
                    {
                        writer.WriteNumber(label, Math.Round(p.Scores.GetValueOrDefault(label), 6));
                    }

                    writer.WriteEndObject();
                    if (p.Evidence is { } evidence)
                    {
                        writer.WritePropertyName("evidence");
                        JsonSerializer.Serialize(writer, evidence, EvidenceJson);
                    }
                }

                writer.WriteString("model", classifier.ModelVersion);
                writer.WriteEndObject();
                writer.Flush();
                buffer.Write("\n"u8);
            }
        }

        await output.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
        var count = chunk.Count;
        chunk.Clear();
        return count;
    }

    private static void WriteId(Utf8JsonWriter writer, InputRecord record)
    {
        writer.WritePropertyName("id");
        if (record.IdJson is not null)
        {
            writer.WriteRawValue(record.IdJson, skipInputValidation: true);
        }
        else if (record.IdText is not null)
        {
            writer.WriteStringValue(record.IdText);
        }
        else
        {
            writer.WriteNumberValue(record.Line);
        }
    }

    private static async IAsyncEnumerable<InputRecord> ReadJsonLinesAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseJsonLine(line, lineNo);
        }
    }

    internal static InputRecord ParseJsonLine(string line, int lineNo)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            return InputRecord.Failed(null, null, $"line {lineNo}: invalid JSON ({Shorten(ex.Message)})", lineNo);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return InputRecord.Failed(null, null, $"line {lineNo}: not a JSON object", lineNo);
            }

            string? idJson = root.TryGetProperty("id", out var id) ? id.GetRawText() : null;
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(text.GetString()))
            {
                return InputRecord.Failed(idJson, null, $"line {lineNo}: missing or empty \"text\" string", lineNo);
            }

            return InputRecord.Ok(idJson, null, new ClassifierInput(
                Bound(text.GetString()!),
                OptionalString(root, "title"),
                OptionalString(root, "kind") ?? "post",
                OptionalString(root, "lang")), lineNo);
        }
    }

    private static async IAsyncEnumerable<InputRecord> ReadCsvAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            HeaderValidated = null,
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
        };
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        using var csv = new CsvReader(reader, config);
        if (!await csv.ReadAsync().ConfigureAwait(false))
        {
            yield break;
        }

        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var textIndex = columns.IndexOf("text");
        if (textIndex < 0)
        {
            throw new InvalidDataException($"{path}: the CSV header has no \"text\" column.");
        }

        var idIndex = columns.IndexOf("id");
        var titleIndex = columns.IndexOf("title");
        var kindIndex = columns.IndexOf("kind");
        var langIndex = columns.IndexOf("lang");
        var recordNo = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            InputRecord record;
            bool more;
            try
            {
                more = await csv.ReadAsync().ConfigureAwait(false);
                if (!more)
                {
                    break;
                }

                recordNo++;
                var id = Field(csv, idIndex);
                var text = Field(csv, textIndex);
                record = string.IsNullOrWhiteSpace(text)
                    ? InputRecord.Failed(null, NullIfEmpty(id), $"record {recordNo}: missing or empty text", recordNo + 1)
                    : InputRecord.Ok(null, NullIfEmpty(id), new ClassifierInput(Bound(text), NullIfEmpty(Field(csv, titleIndex)),
                        NullIfEmpty(Field(csv, kindIndex)) ?? "post", NullIfEmpty(Field(csv, langIndex))), recordNo + 1);
            }
            catch (CsvHelperException ex)
            {
                recordNo++;
                record = InputRecord.Failed(null, null, $"record {recordNo}: unreadable CSV ({Shorten(ex.Message)})", recordNo + 1);
            }

            yield return record;
        }
    }

    private static string? Field(CsvReader csv, int index) =>
        index >= 0 && index < csv.Parser.Count ? csv.GetField(index) : null;

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Bound(string text) => text.Length > MaxTextLength ? text[..MaxTextLength] : text;

    private static string Shorten(string message)
    {
        var first = message.Split('\n')[0].Trim();
        return first.Length > 160 ? first[..160] : first;
    }

    /// <summary>One input record: its id (raw JSON for JSONL, text for CSV), its line, and either an input or an error.</summary>
    internal sealed record InputRecord(string? IdJson, string? IdText, ClassifierInput? Input, string? Error, int Line)
    {
        public static InputRecord Ok(string? idJson, string? idText, ClassifierInput input, int line) => new(idJson, idText, input, null, line);

        public static InputRecord Failed(string? idJson, string? idText, string error, int line) => new(idJson, idText, null, error, line);
    }
}
