using System.Globalization;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;
using CsvHelper;
using CsvHelper.Configuration;

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

    private static IAsyncEnumerable<(LabeledItem? Item, string? Problem)> ReadAsync(string path, CancellationToken ct) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsvAsync(path, ct) : ReadJsonLinesAsync(path, ct);

    private static async IAsyncEnumerable<(LabeledItem?, string?)> ReadJsonLinesAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var lineNo = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LabeledItem? item = null;
            string? problem = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    problem = $"line {lineNo}: not a JSON object";
                }
                else
                {
                    (item, problem) = Make(lineNo, String(root, "id"), String(root, "text"), String(root, "title"),
                        String(root, "label"), String(root, "lang"));
                }
            }
            catch (JsonException)
            {
                problem = $"line {lineNo}: not valid JSON";
            }

            yield return (item, problem);
        }
    }

    private static async IAsyncEnumerable<(LabeledItem?, string?)> ReadCsvAsync(string path,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = false, BadDataFound = null, MissingFieldFound = null };
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, config);
        if (!await csv.ReadAsync().ConfigureAwait(false) || !csv.ReadHeader())
        {
            yield break;
        }

        var header = csv.HeaderRecord ?? [];
        if (!header.Contains("text") || !header.Contains("label"))
        {
            throw new InvalidDataException($"{path}: the CSV header must name the columns text and label.");
        }

        var row = 1;
        while (await csv.ReadAsync().ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested();
            row++;
            string? Get(string name) => header.Contains(name) ? csv.GetField(name) : null;
            yield return Make(row, Get("id"), Get("text"), Get("title"), Get("label"), Get("lang"));
        }
    }

    private static (LabeledItem?, string?) Make(int lineNo, string? id, string? text, string? title, string? label, string? lang)
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
