using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;

namespace ContentWatch.Classifier;

/// <summary>
/// The offline contract behind <c>contentwatch classify --input FILE --output FILE.jsonl</c>.
/// Input is JSON Lines (<c>id</c>, <c>text</c>, optional <c>title</c>, <c>kind</c>, <c>lang</c>) or, for a <c>.csv</c>
/// file, CSV with a header naming the same columns. Output is one JSON line per input record, in input order:
/// <c>{"id":…,"label":…,"score":…,"scores":{…},"model":"…"}</c>. A record that cannot be read or has no text
/// still gets a line, with <c>"error"</c> and no label. Blank JSONL lines are not records and get no line.
/// The file is streamed in chunks of <see cref="ChunkSize"/>; text is cut to <see cref="MaxTextLength"/> characters.
/// </summary>
public static class BatchFileClassifier
{
    public const int ChunkSize = 1024;
    public const int MaxTextLength = 20_000;

    /// <summary>A longer line or CSV record gets an error line, unread (its text would be cut to <see cref="MaxTextLength"/> anyway).</summary>
    public const int MaxRecordChars = 1_000_000;

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

        await using var input = File.OpenRead(inputPath);
        var records = ReadAsync(input, RecordFileReader.IsCsv(inputPath), ct);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var chunk = new List<InputRecord>(ChunkSize);
        var written = 0;

        try
        {
            await foreach (var record in records.WithCancellation(ct).ConfigureAwait(false))
            {
                chunk.Add(record);
                if (chunk.Count == ChunkSize)
                {
                    written += await FlushChunkAsync(chunk, classifier, buffer, output, ct).ConfigureAwait(false);
                    progress?.Report(written);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{inputPath}: {e.Message}", e);
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
        else
        {
            writer.WriteNumberValue(record.Line);
        }
    }

    /// <summary>
    /// The records of the input (<see cref="RecordFileReader"/>: bounded, strict UTF-8; CSV column names are matched
    /// without regard to case). JSONL keeps the <c>id</c> as the JSON it was; a CSV record is an object of strings,
    /// its empty cells read as absent.
    /// </summary>
    private static async IAsyncEnumerable<InputRecord> ReadAsync(Stream input, bool csv,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var record in RecordFileReader.ReadAsync(input, csv, MaxRecordChars, lowerCaseHeader: true, csv ? ["text"] : [], ct).ConfigureAwait(false))
        {
            yield return ToInput(record, csv);
        }
    }

    internal static InputRecord ToInput(RawRecord record, bool csv)
    {
        var line = record.Line;
        var root = record.Value;
        var idJson = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && record.Errors.All(e => e.Field != "id")
            ? id.GetRawText()
            : null;
        if (!record.IsReadable)
        {
            return InputRecord.Failed(idJson, $"line {line}: " + string.Join("; ", record.Errors.Select(e => e.Field == "$" ? e.Message : $"{e.Field} {e.Message}")), line);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return InputRecord.Failed(null, $"line {line}: not a JSON object", line);
        }

        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(text.GetString()))
        {
            return InputRecord.Failed(idJson, $"line {line}: missing or empty \"text\" string", line);
        }

        string? Optional(string name) => OptionalString(root, name) is { } value && (!csv || !string.IsNullOrWhiteSpace(value)) ? value : null;
        return InputRecord.Ok(idJson, new ClassifierInput(Bound(text.GetString()!), Optional("title"), Optional("kind") ?? "post", Optional("lang")), line);
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Bound(string text) => text.Length > MaxTextLength ? text[..MaxTextLength] : text;

    /// <summary>One input record: its id (the JSON it was, a string for CSV), its line, and either an input or an error.</summary>
    internal sealed record InputRecord(string? IdJson, ClassifierInput? Input, string? Error, long Line)
    {
        public static InputRecord Ok(string? idJson, ClassifierInput input, long line) => new(idJson, input, null, line);

        public static InputRecord Failed(string? idJson, string error, long line) => new(idJson, null, error, line);
    }
}
