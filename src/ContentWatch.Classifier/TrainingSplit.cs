using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContentWatch.Classifier;

/// <summary>
/// The rows <see cref="ModelTrainer"/> trains on and the grouped dev split it evaluates on. The trainer loads and
/// splits through this class, and <c>contentwatch split</c> writes the same two sets out so other systems can be
/// trained and scored on exactly the same examples.
/// </summary>
public static class TrainingSplit
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Team corpus, then the public train splits when <paramref name="dataDirectory"/> is given.</summary>
    internal static List<LabeledText> LoadRows(string corpusDirectory, string? dataDirectory, List<TrainingFileInfo> files, Action<string> warn)
    {
        var rows = TrainingData.LoadCorpus(corpusDirectory, files, warn);
        if (dataDirectory is not null)
        {
            rows.AddRange(TrainingData.LoadPublic(dataDirectory, files, warn));
        }

        return rows;
    }

    /// <summary>Grouped by near-duplicate key, ~20% dev; order within each side is the load order.</summary>
    internal static (List<LabeledText> Train, List<LabeledText> Dev) Split(List<LabeledText> rows) =>
        (rows.Where(r => !ModelTrainer.IsDev(r.GroupKey)).ToList(), rows.Where(r => ModelTrainer.IsDev(r.GroupKey)).ToList());

    /// <summary>
    /// Writes <c>train.jsonl</c> and <c>dev.jsonl</c> into <paramref name="outputDirectory"/>, one
    /// <c>{"id","text","label","lang","source","group"}</c> object per line (<c>group</c> is the split's group key).
    /// </summary>
    public static async Task<SplitResult> WriteAsync(string corpusDirectory, string? dataDirectory, string outputDirectory,
        Action<string> warn, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(corpusDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(warn);

        var files = new List<TrainingFileInfo>();
        var (train, dev) = Split(LoadRows(corpusDirectory, dataDirectory, files, warn));
        var corpusLangs = CorpusLanguages(corpusDirectory);
        Directory.CreateDirectory(outputDirectory);
        var trainPath = Path.Combine(outputDirectory, "train.jsonl");
        var devPath = Path.Combine(outputDirectory, "dev.jsonl");
        await WriteRowsAsync(trainPath, train, corpusLangs, ct).ConfigureAwait(false);
        await WriteRowsAsync(devPath, dev, corpusLangs, ct).ConfigureAwait(false);
        return new SplitResult(trainPath, devPath, train.Count, dev.Count, files);
    }

    /// <summary>
    /// Writes each public test split found in <paramref name="dataDirectory"/> as <c>test-NAME.jsonl</c> (same fields
    /// and label mapping as <see cref="WriteAsync"/>, every row kept), for <c>contentwatch evaluate</c>. Final figures only.
    /// </summary>
    public static async Task<IReadOnlyList<(string Path, int Count)>> WriteTestsAsync(string dataDirectory, string outputDirectory, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var written = new List<(string, int)>();
        foreach (var (name, rows) in TrainingData.LoadPublicTests(dataDirectory))
        {
            var path = Path.Combine(outputDirectory, "test-" + Path.GetFileNameWithoutExtension(name) + ".jsonl");
            await WriteRowsAsync(path, rows, [], ct).ConfigureAwait(false);
            written.Add((path, rows.Count));
        }

        return written;
    }

    private static async Task WriteRowsAsync(string path, List<LabeledText> rows, Dictionary<string, string> corpusLangs, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("id", row.Id);
                writer.WriteString("text", row.Text);
                writer.WriteString("label", row.Label);
                writer.WriteString("lang", Language(row, corpusLangs));
                writer.WriteString("source", row.Source);
                writer.WriteString("group", row.GroupKey);
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            if (buffer.Length >= 1 << 16)
            {
                await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
                buffer.SetLength(0);
            }
        }

        await stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct).ConfigureAwait(false);
    }

    /// <summary>The row's language: the corpus <c>lang</c> field, the SIB-200 language code, or the public set's language.</summary>
    private static string Language(LabeledText row, Dictionary<string, string> corpusLangs) => row.Source switch
    {
        TrainingData.SourceCorpus => corpusLangs.GetValueOrDefault(row.Id, "und"),
        "sib200" => row.Id.Split(':')[1],
        "arabic_tweets" => "ar",
        "emscad" or "emscad_clean" or "sms_uci" or "sms_mishra" => "en",
        _ => "und",
    };

    /// <summary>Corpus <c>id</c> → <c>lang</c>; the loader does not keep the language, so it is read here beside it.</summary>
    private static Dictionary<string, string> CorpusLanguages(string directory)
    {
        var langs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return langs;
        }

        foreach (var path in Directory.GetFiles(directory, "*.jsonl"))
        {
            foreach (var line in File.ReadLines(path, Encoding.UTF8))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object
                        && doc.RootElement.TryGetProperty("id", out var id)
                        && doc.RootElement.TryGetProperty("lang", out var lang) && lang.ValueKind == JsonValueKind.String)
                    {
                        langs[id.ToString()] = lang.GetString()!;
                    }
                }
                catch (JsonException)
                {
                    // The loader has already reported the line.
                }
            }
        }

        return langs;
    }
}

/// <summary>What <see cref="TrainingSplit.WriteAsync"/> wrote: the two files, their row counts and the source files read.</summary>
public sealed record SplitResult(string TrainPath, string DevPath, int TrainCount, int DevCount, IReadOnlyList<TrainingFileInfo> Files);
