using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContentWatch.Classifier.Training;

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
        Directory.CreateDirectory(outputDirectory);
        var trainPath = Path.Combine(outputDirectory, "train.jsonl");
        var devPath = Path.Combine(outputDirectory, "dev.jsonl");
        await WriteRowsAsync(trainPath, train, ct).ConfigureAwait(false);
        await WriteRowsAsync(devPath, dev, ct).ConfigureAwait(false);
        return new SplitResult(trainPath, devPath, train.Count, dev.Count, files);
    }

    /// <summary>
    /// The leave-one-writer-out folds the trainer uses (<see cref="WriterFolds"/>): for each corpus writer W,
    /// <c>DIR/writers/W/train.jsonl</c> (every other row, public data included) and <c>DIR/writers/W/test.jsonl</c> (W's rows).
    /// With <paramref name="writerGroups"/> K &gt; 0, the trainer's K groups instead (<c>DIR/writers/group-NN/</c>, dealt as
    /// <c>--writer-groups K</c> deals them); every row carries its <c>writer</c>, so figures stay per writer.
    /// </summary>
    public static async Task<IReadOnlyList<(string Fold, int Train, int Test)>> WriteWriterFoldsAsync(string corpusDirectory, string? dataDirectory,
        string outputDirectory, Action<string> warn, CancellationToken ct, int writerGroups = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writerGroups);
        var rows = LoadRows(corpusDirectory, dataDirectory, [], warn);
        var writers = rows.Where(r => r.Writer is not null).Select(r => r.Writer!).Distinct().Order(StringComparer.Ordinal).ToList();
        var groups = WriterFolds.Group(writers, rows, writerGroups)
            .Select((g, k) => (Name: writerGroups == 0 ? g[0] : $"group-{k + 1:D2}", Writers: g)).ToList();
        var folds = new List<(string, int, int)>();
        foreach (var (name, members) in groups)
        {
            var directory = Path.Combine(outputDirectory, "writers", name);
            Directory.CreateDirectory(directory);
            var train = rows.Where(r => r.Writer is not { } w || !members.Contains(w)).ToList();
            var test = rows.Where(r => r.Writer is { } w && members.Contains(w)).ToList();
            await WriteRowsAsync(Path.Combine(directory, "train.jsonl"), train, ct).ConfigureAwait(false);
            await WriteRowsAsync(Path.Combine(directory, "test.jsonl"), test, ct).ConfigureAwait(false);
            folds.Add((name, train.Count, test.Count));
        }

        return folds;
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
            await WriteRowsAsync(path, rows, ct).ConfigureAwait(false);
            written.Add((path, rows.Count));
        }

        return written;
    }

    private static async Task WriteRowsAsync(string path, List<LabeledText> rows, CancellationToken ct)
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
                writer.WriteString("lang", Language(row));
                writer.WriteString("source", row.Source);
                writer.WriteString("group", row.GroupKey);
                if (row.Writer is not null)
                {
                    writer.WriteString("writer", row.Writer);
                }

                if (row.Genre is not null)
                {
                    writer.WriteString("genre", row.Genre);
                }

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
    private static string Language(LabeledText row) => row.Source switch
    {
        TrainingData.SourceCorpus or DecisionExamples.SourceDesk => row.Language ?? "und",
        "sib200" => row.Id.Split(':')[1],
        "arabic_tweets" => "ar",
        "emscad" or "emscad_clean" or "sms_uci" or "sms_mishra" => "en",
        _ => "und",
    };
}

/// <summary>What <see cref="TrainingSplit.WriteAsync"/> wrote: the two files, their row counts and the source files read.</summary>
public sealed record SplitResult(string TrainPath, string DevPath, int TrainCount, int DevCount, IReadOnlyList<TrainingFileInfo> Files);
