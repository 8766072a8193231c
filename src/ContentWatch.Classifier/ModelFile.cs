using System.IO.Compression;
using System.Text.Json;

namespace ContentWatch.Classifier;

/// <summary>
/// The model file: one zip holding the exported linear model (<see cref="WeightsEntry"/>, see <see cref="LinearModel"/>),
/// <see cref="MetadataEntry"/> and the concept lexicon it was trained with (<see cref="LexiconEntry"/>, when it had one).
/// Written to a temporary file first, then moved into place.
/// </summary>
public static class ModelFile
{
    public const string DefaultPath = "models/contentwatch.model.zip";
    public const string WeightsEntry = "weights.bin";
    public const string MetadataEntry = "metadata.json";
    public const string LexiconEntry = "lexicon.json";

    internal static void Save(string path, LinearModel model, ModelMetadata metadata, ConceptLexicon? lexicon)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            using (var stream = zip.CreateEntry(WeightsEntry, CompressionLevel.Optimal).Open())
            {
                LinearModelFormat.Write(model, stream);
            }

            using (var metaStream = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal).Open())
            {
                JsonSerializer.Serialize(metaStream, metadata, ModelMetadata.JsonOptions);
            }

            if (lexicon is not null)
            {
                using var writer = new StreamWriter(zip.CreateEntry(LexiconEntry, CompressionLevel.Optimal).Open());
                writer.Write(lexicon.Json);
            }
        }

        File.Move(temp, full, overwrite: true);
    }

    internal static (LinearModel Model, ModelMetadata Metadata, ConceptLexicon? Lexicon) Load(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return Load(zip, path);
    }

    /// <summary>A model file held in memory (as the model registry stores it); <paramref name="name"/> names it in errors.</summary>
    internal static (LinearModel Model, ModelMetadata Metadata, ConceptLexicon? Lexicon) Load(byte[] content, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        return Load(zip, name);
    }

    /// <summary>
    /// Why this build cannot read the weights of the model file <paramref name="content"/> (missing, or of an older or
    /// newer format), from their header alone; null when it can.
    /// </summary>
    internal static string? UnsupportedFormat(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        using var stream = zip.GetEntry(WeightsEntry)?.Open();
        return stream is not null && LinearModelFormat.IsCurrent(stream) ? null : LinearModelFormat.UnsupportedMessage;
    }

    private static (LinearModel Model, ModelMetadata Metadata, ConceptLexicon? Lexicon) Load(ZipArchive zip, string path)
    {
        var metadata = ReadMetadata(zip, path);
        var entry = zip.GetEntry(WeightsEntry)
            ?? throw new InvalidDataException($"{path}: no {WeightsEntry} in the model file (a model from an older build? retrain it).");
        ConceptLexicon? lexicon = null;
        if (zip.GetEntry(LexiconEntry) is { } lexiconEntry)
        {
            using var reader = new StreamReader(lexiconEntry.Open());
            lexicon = ConceptLexicon.Parse(reader.ReadToEnd(), $"{path}!{LexiconEntry}", allowDuplicates: true);
        }

        using var stream = new BufferedStream(entry.Open(), 1 << 16);
        return (LinearModelFormat.Read(stream), metadata, lexicon);
    }

    /// <summary>
    /// A shipped file's path (the model, the concept lexicon): <paramref name="path"/> as given when it exists (relative to
    /// the working folder); otherwise the copy next to the running program (the build puts the shipped files there), so
    /// the defaults work from any folder.
    /// </summary>
    public static string ResolvePath(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(beside) ? beside : Path.GetFullPath(path);
    }

    /// <summary>Reads only the metadata of a model file (cheap; does not load the weights).</summary>
    public static ModelMetadata ReadMetadata(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return ReadMetadata(zip, path);
    }

    /// <summary>The metadata of a model file held in memory (as the model registry stores it).</summary>
    public static ModelMetadata ReadMetadata(byte[] content, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        return ReadMetadata(zip, name);
    }

    private static ModelMetadata ReadMetadata(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"{path}: no {MetadataEntry} in the model file.");
        using var stream = entry.Open();
        return JsonSerializer.Deserialize<ModelMetadata>(stream, ModelMetadata.JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty {MetadataEntry}.");
    }
}
