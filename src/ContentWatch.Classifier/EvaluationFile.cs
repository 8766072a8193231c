using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;

namespace ContentWatch.Classifier;

/// <summary>A labelled item read for evaluation.</summary>
public sealed record LabeledItem(string? Id, string Text, string? Title, string Label, string? Language);

/// <summary>What <see cref="EvaluationFile.EvaluateAsync"/> found: the report, and the records it skipped with why.</summary>
public sealed record FileEvaluation(EvaluationReport Report, int Skipped, IReadOnlyList<string> Problems);

/// <summary>
/// Reads a labelled file — JSON Lines, or CSV when the name ends in <c>.csv</c> — with <c>text</c> and <c>label</c>
/// (one of <see cref="Labels.All"/>) and optional <c>title</c>, <c>lang</c>, <c>id</c>, classifies every item and reports.
/// Records without text or with an unknown label are skipped and listed (at most <see cref="MaxProblems"/>).
/// </summary>
public static class EvaluationFile
{
    public const int MaxProblems = 20;
    public const int MaxLanguageLength = 24;
    public const int ChunkSize = 1024;

    /// <summary>A longer line or CSV record is skipped unread.</summary>
    public const int MaxRecordChars = 1_000_000;

    /// <param name="languages">Names the language of items without <c>lang</c> for the per-language table; null leaves them "?".</param>
    public static async Task<FileEvaluation> EvaluateAsync(string path, ITextClassifier classifier, IProgress<long>? progress,
        CancellationToken ct, ILanguageIdentifier? languages = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(classifier);
        var problems = new List<string>();
        var skipped = 0;
        var rows = new List<EvaluationRow>();
        var chunk = new List<LabeledItem>(ChunkSize);
        void Flush()
        {
            var predictions = classifier.ClassifyBatch(chunk.Select(i => new ClassifierInput(i.Text, i.Title, "post", i.Language)).ToList());
            rows.AddRange(chunk.Select((item, k) => new EvaluationRow(item.Label,
                item.Language ?? languages?.Identify(item.Title is null ? item.Text : item.Title + "\n" + item.Text), predictions[k])));
            chunk.Clear();
            progress?.Report(rows.Count);
        }

        await foreach (var (item, problem) in ReadAsync(path, ct).ConfigureAwait(false))
        {
            if (item is null)
            {
                skipped++;
                if (problems.Count < MaxProblems)
                {
                    problems.Add(problem!);
                }

                continue;
            }

            chunk.Add(item);
            if (chunk.Count == ChunkSize)
            {
                Flush();
            }
        }

        if (chunk.Count > 0)
        {
            Flush();
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}: no labelled records (need text and a label among {string.Join(", ", Labels.All)}).");
        }

        return new FileEvaluation(ModelEvaluation.Evaluate(rows, classifier.ReviewThreshold), skipped, problems);
    }

    /// <summary>
    /// Streams the labelled items of <paramref name="path"/> (JSON Lines, or CSV when the name ends in <c>.csv</c>): each
    /// record as an item, or as the reason it is skipped. A file that cannot be read as a whole throws
    /// <see cref="InvalidDataException"/> naming the path.
    /// </summary>
    public static async IAsyncEnumerable<(LabeledItem? Item, string? Problem)> ReadAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var input = File.OpenRead(path);
        var csv = RecordFileReader.IsCsv(path);
        await using var records = RecordFileReader.ReadAsync(input, csv, MaxRecordChars, lowerCaseHeader: false, csv ? ["text", "label"] : [], ct)
            .GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await records.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }

            yield return ToItem(records.Current);
        }
    }

    /// <summary>A labelled item out of a record (<see cref="RecordFileReader"/>), or why it is skipped.</summary>
    private static (LabeledItem?, string?) ToItem(RawRecord record)
    {
        var root = record.Value;
        return !record.IsReadable ? (null, $"line {record.Line}: " + string.Join("; ", record.Errors.Select(e =>
                e.Field != "$" ? $"{e.Field} {e.Message}" : e.Message.StartsWith(RecordFileReader.InvalidJson, StringComparison.Ordinal) ? "not valid JSON" : e.Message)))
            : root.ValueKind != JsonValueKind.Object ? (null, $"line {record.Line}: not a JSON object")
            : Make(record.Line, String(root, "id"), String(root, "text"), String(root, "title"), String(root, "label"), String(root, "lang"));
    }

    private static (LabeledItem?, string?) Make(long lineNo, string? id, string? text, string? title, string? label, string? lang)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, $"line {lineNo}: no text");
        }

        if (!Labels.IsValid(label))
        {
            return (null, $"line {lineNo}: label must be one of {string.Join(", ", Labels.All)}");
        }

        return (new LabeledItem(id, Bound(text), string.IsNullOrWhiteSpace(title) ? null : Bound(title), label!, CleanLanguage(lang)), null);
    }

    /// <summary>Language codes are shown in reports: printable characters only, bounded length.</summary>
    private static string? CleanLanguage(string? lang)
    {
        if (string.IsNullOrWhiteSpace(lang))
        {
            return null;
        }

        var clean = new string(lang.Trim().Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').Take(MaxLanguageLength).ToArray());
        return clean.Length == 0 ? null : clean;
    }

    private static string Bound(string text) => text.Length > TextNormalizer.MaxInputLength ? text[..TextNormalizer.MaxInputLength] : text;

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;
}
