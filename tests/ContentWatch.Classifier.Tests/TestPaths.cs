namespace ContentWatch.Classifier.Tests;

internal static class TestPaths
{
    /// <summary>The small committed training sample (four labels, ~30 rows each, two writers: sample-a and sample-b).</summary>
    public static string SampleCorpus => Path.Combine(AppContext.BaseDirectory, "Data", "sample_corpus");

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ContentWatch.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Repository root (ContentWatch.sln) not found.");
        }
    }

    public static string ShippedModel => Path.Combine(RepoRoot, "models", "contentwatch.model.zip");

    public static string Lexicon => Path.Combine(RepoRoot, "models", "lexicon", "concepts.json");

    public static string Corpus => Path.Combine(RepoRoot, "models", "corpus");
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Trains one model on the committed sample, shared by every test class in <see cref="Collection"/>.</summary>
public sealed class SampleModelFixture : IDisposable
{
    public const string Collection = "sample model";

    private readonly string _directory = Directory.CreateTempSubdirectory("cw-classifier-").FullName;

    public SampleModelFixture()
    {
        ModelPath = Path.Combine(_directory, "sample.model.zip");
        Result = ModelTrainer.TrainAsync(SampleOptions(ModelPath)).GetAwaiter().GetResult();
    }

    public string ModelPath { get; }

    public TrainingResult Result { get; }

    public static ModelTrainerOptions SampleOptions(string outputPath) => new()
    {
        CorpusDirectory = TestPaths.SampleCorpus,
        DataDirectory = null,
        OutputPath = outputPath,
        LexiconPath = null,
        Seed = 1,
        Clock = new FixedClock(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)),
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

[CollectionDefinition(SampleModelFixture.Collection)]
public sealed class SampleModelCollection : ICollectionFixture<SampleModelFixture>;
