using System.Text.Json;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Models;

namespace ContentWatch.Classifier;

/// <summary>
/// Model files as the registry keeps them (bytes in the database): what the metadata says (id, training time,
/// threshold, leave-one-writer-out and dev figures, training files, the newest decision trained on) and the model to score with.
/// </summary>
public sealed class ModelPackage : IModelLoader
{
    public ModelFileFacts Inspect(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var metadata = Read(content);
        var lowo = metadata.LeaveOneWriterOut is { } w
            ? new WriterFigures(w.Writers.Count, w.MeanHarmfulF1, w.WorstHarmfulF1, w.MeanHarmfulPrAuc, w.MeanBenignFalsePositiveRate)
            : null;
        var dev = metadata.DevMetrics?.Report is { } r
            ? new HarmfulFigures(r.Count, r.PerLabel.Where(l => l.Label != Labels.Benign).Sum(l => l.Support), r.ReviewThreshold,
                r.HarmfulPrecisionAtThreshold, r.HarmfulRecallAtThreshold, F1(r.HarmfulPrecisionAtThreshold, r.HarmfulRecallAtThreshold),
                r.BenignFalsePositiveRateAtThreshold)
            : null;
        var files = (metadata.TrainingFiles ?? []).Select(f => new TrainingFile(f.Name, f.Sha256, f.RowsUsed)).ToList();
        // decisions taken after the newest one the trainer saw were never trained on (train --decisions)
        return new ModelFileFacts(metadata.ModelVersion, metadata.TrainedAt == default ? null : metadata.TrainedAt, metadata.ReviewThreshold, lowo, dev,
            new ModelTraining(files, metadata.Decisions?.NewestDecidedAt, metadata.Decisions?.Count ?? 0));
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

    public string? UnsupportedFormat(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return ModelFile.UnsupportedFormat(content);
    }

    private static ModelMetadata Read(byte[] content)
    {
        try
        {
            var metadata = ModelFile.ReadMetadata(content, "model file");
            return ModelRules.IsModelId(metadata.ModelVersion)
                ? metadata
                : throw new InvalidDataException("The model file's model version must be letters, digits, '.', '_' and '-' (at most 200), as 'contentwatch train' writes it.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidDataException("Not a ContentWatch model file: " + e.Message, e);
        }
    }

    private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : Math.Round(2 * precision * recall / (precision + recall), 4);
}
