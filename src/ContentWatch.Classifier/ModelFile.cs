using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;

namespace ContentWatch.Classifier;

/// <summary>
/// The model file: one zip holding the ML.NET model (<see cref="ModelEntry"/>, itself an ML.NET zip) and
/// <see cref="MetadataEntry"/>. Written to a temporary file first, then moved into place.
/// </summary>
public static class ModelFile
{
    public const string DefaultPath = "models/contentwatch.model.zip";
    public const string ModelEntry = "model.mlnet.zip";
    public const string MetadataEntry = "metadata.json";

    internal static void Save(string path, MLContext ml, ITransformer model, DataViewSchema inputSchema, ModelMetadata metadata)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var modelEntry = zip.CreateEntry(ModelEntry, CompressionLevel.NoCompression);
            using (var stream = modelEntry.Open())
            {
                ml.Model.Save(model, inputSchema, stream);
            }

            var metaEntry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            using var metaStream = metaEntry.Open();
            JsonSerializer.Serialize(metaStream, metadata, ModelMetadata.JsonOptions);
        }

        File.Move(temp, full, overwrite: true);
    }

    internal static (ITransformer Model, ModelMetadata Metadata) Load(string path, MLContext ml)
    {
        using var zip = ZipFile.OpenRead(path);
        var metaEntry = zip.GetEntry(MetadataEntry)
            ?? throw new InvalidDataException($"{path}: no {MetadataEntry} in the model file.");
        ModelMetadata metadata;
        using (var metaStream = metaEntry.Open())
        {
            metadata = JsonSerializer.Deserialize<ModelMetadata>(metaStream, ModelMetadata.JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty {MetadataEntry}.");
        }

        var modelEntry = zip.GetEntry(ModelEntry)
            ?? throw new InvalidDataException($"{path}: no {ModelEntry} in the model file.");
        using var buffer = new MemoryStream();
        using (var modelStream = modelEntry.Open())
        {
            modelStream.CopyTo(buffer);
        }

        buffer.Position = 0;
        var model = ml.Model.Load(buffer, out _);
        return (model, metadata);
    }

    /// <summary>Reads only the metadata of a model file (cheap; does not load the model).</summary>
    public static ModelMetadata ReadMetadata(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"{path}: no {MetadataEntry}.");
        using var stream = entry.Open();
        return JsonSerializer.Deserialize<ModelMetadata>(stream, ModelMetadata.JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty {MetadataEntry}.");
    }
}
