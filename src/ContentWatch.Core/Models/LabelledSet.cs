using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Models;

/// <summary>One labelled text a model is measured on.</summary>
public sealed record LabelledText(string Id, string Text, string? Title, string Kind, string? Language, string Label)
{
    public bool Harmful => Label != Labels.Benign;

    public ClassifierInput Input => new(Text, Title, Kind, Language);
}

/// <summary>A labelled set and what names it: the SHA-256 of its files' bytes, hashed together in name order.</summary>
public sealed record LabelledSet(IReadOnlyList<LabelledText> Items, string Sha256, IReadOnlyList<string> Skipped);

/// <summary>
/// The golden set: every <c>*.jsonl</c> in a folder (the corpus schema: id, writer, kind, lang, label, genre, text and an
/// optional title), read with the bounded record reader. Lines without text or with an unknown label are skipped and listed.
/// </summary>
public static class GoldenSet
{
    public const int MaxRecordChars = 100_000;

    /// <summary>The folder a setting names: as given when it exists, otherwise beside the running program.</summary>
    public static string ResolveFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.IsPathRooted(path) || Directory.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, path);
        return Directory.Exists(beside) ? beside : Path.GetFullPath(path);
    }

    /// <summary>The set in <paramref name="folder"/>, or null when the folder holds no <c>*.jsonl</c>.</summary>
    public static async Task<LabelledSet?> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var files = Directory.GetFiles(folder, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return null;
        }

        var items = new List<LabelledText>();
        var skipped = new List<string>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            hash.AppendData(SHA256.HashData(bytes));
            using var stream = new MemoryStream(bytes, writable: false);
            await foreach (var record in RecordFileReader.ReadAsync(stream, csv: false, MaxRecordChars, lowerCaseHeader: false, [], cancellationToken).ConfigureAwait(false))
            {
                var root = record.Value;
                var text = record.IsReadable && root.ValueKind == JsonValueKind.Object ? String(root, "text") : null;
                var label = text is null ? null : String(root, "label");
                if (string.IsNullOrWhiteSpace(text) || !Labels.IsValid(label))
                {
                    skipped.Add($"{name}:{record.Line}");
                    continue;
                }

                items.Add(new LabelledText(String(root, "id") ?? $"{name}:{record.Line}", text, String(root, "title"), String(root, "kind") ?? "post",
                    String(root, "lang"), label!));
            }
        }

        return new LabelledSet(items, Convert.ToHexStringLower(hash.GetHashAndReset()), skipped);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Measures a model on labelled texts: harmful versus benign at a threshold.</summary>
public static class HarmfulMeasure
{
    /// <summary>Scores every text (scores only, no evidence) and counts at <paramref name="threshold"/>.</summary>
    public static HarmfulFigures Measure(ITextClassifier model, IReadOnlyList<LabelledText> items, double threshold, string? setSha256 = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        var scores = new List<double>(items.Count);
        for (var start = 0; start < items.Count; start += 1024)
        {
            var chunk = items.Skip(start).Take(1024).Select(i => i.Input).ToList();
            scores.AddRange(model.ScoreBatch(chunk).Select(p => p.Score));
        }

        return Count(items.Select(i => i.Harmful).ToList(), scores, threshold, setSha256);
    }

    /// <summary>The figures for known labels (<paramref name="harmful"/>) and scores: flagged when the score is at least the threshold.</summary>
    public static HarmfulFigures Count(IReadOnlyList<bool> harmful, IReadOnlyList<double> scores, double threshold, string? setSha256 = null)
    {
        int tp = 0, fp = 0, fn = 0, benign = 0;
        for (var i = 0; i < harmful.Count; i++)
        {
            var flagged = scores[i] >= threshold;
            if (harmful[i])
            {
                tp += flagged ? 1 : 0;
                fn += flagged ? 0 : 1;
            }
            else
            {
                benign++;
                fp += flagged ? 1 : 0;
            }
        }

        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new HarmfulFigures(harmful.Count, tp + fn, Math.Round(threshold, 4), Round(precision), Round(recall), Round(f1),
            Round(benign == 0 ? 0 : (double)fp / benign), setSha256);
    }

    private static double Round(double value) => Math.Round(value, 4);
}
