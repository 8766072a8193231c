using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Models;

namespace ContentWatch.Classifier;

/// <summary>
/// Model files as the registry keeps them (bytes in the database): what the metadata says (id, training time,
/// threshold, leave-one-writer-out and dev figures, training files and decisions) and the model to score with.
/// </summary>
public sealed class ModelPackage : IModelLoader
{
    public ModelFileFacts Inspect(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (metadata, raw) = Read(content);
        var lowo = metadata.LeaveOneWriterOut is { } w
            ? new WriterFigures(w.Writers.Count, w.MeanHarmfulF1, w.WorstHarmfulF1, w.MeanHarmfulPrAuc, w.MeanBenignFalsePositiveRate)
            : null;
        var dev = metadata.DevMetrics?.Report is { } r
            ? new HarmfulFigures(r.Count, r.PerLabel.Where(l => l.Label != Labels.Benign).Sum(l => l.Support), r.ReviewThreshold,
                r.HarmfulPrecisionAtThreshold, r.HarmfulRecallAtThreshold, F1(r.HarmfulPrecisionAtThreshold, r.HarmfulRecallAtThreshold),
                r.BenignFalsePositiveRateAtThreshold)
            : null;
        var files = (metadata.TrainingFiles ?? []).Select(f => new TrainingFile(f.Name, f.Sha256, f.RowsUsed)).ToList();
        var (until, keys) = Decisions(raw);
        return new ModelFileFacts(metadata.ModelVersion, metadata.TrainedAt == default ? null : metadata.TrainedAt, metadata.ReviewThreshold, lowo, dev,
            new ModelTraining(files, until, keys));
    }

    public ITextClassifier Load(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            return LinearTextClassifier.Load(content, "model file");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException("Not a ContentWatch model file: " + e.Message, e);
        }
    }

    private static (ModelMetadata Metadata, JsonObject Raw) Read(byte[] content)
    {
        try
        {
            var (metadata, raw) = ModelFile.ReadMetadata(content, "model file");
            return string.IsNullOrWhiteSpace(metadata.ModelVersion) || metadata.ModelVersion.Length > 200
                ? throw new InvalidDataException("The model file's metadata names no model version (at most 200 characters).")
                : (metadata, raw);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException("Not a ContentWatch model file: " + e.Message, e);
        }
    }

    /// <summary>
    /// The officers' decisions a model was trained on, when its metadata records them (<c>train --decisions</c>): the
    /// newest decision the trainer saw (<c>decisions.newest_decided_at</c>; any later one was never trained on), and the
    /// decided items' keys when a <c>decisions.item_ids</c> list is given.
    /// </summary>
    internal static (DateTimeOffset? Until, IReadOnlyList<string>? Keys) Decisions(JsonObject raw)
    {
        if (raw["decisions"] is not JsonObject decisions)
        {
            return (null, null);
        }

        DateTimeOffset? until = decisions["newest_decided_at"] is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
        var keys = decisions["item_ids"] is JsonArray array
            ? array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var k) ? k : null).OfType<string>().ToList()
            : null;
        return (until, keys is { Count: > 0 } ? keys : null);
    }

    private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : Math.Round(2 * precision * recall / (precision + recall), 4);
}
