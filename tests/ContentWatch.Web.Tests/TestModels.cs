namespace ContentWatch.Web.Tests;

/// <summary>
/// A model trained once per test run, through the real <c>contentwatch train</c>, on the first team corpus's four
/// label files (1,544 rows, no corpus v2, no public data): a fair model, clearly worse than the shipped one on the
/// golden set (harmful F1 0.73 against 0.92).
/// </summary>
internal static class TestModels
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _model;

    /// <summary>The model file (trained on first use: about 15 s of CPU).</summary>
    public static async Task<string> FirstCorpusModelAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_model is not null && File.Exists(_model))
            {
                return _model;
            }

            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "contentwatch-test-models", Guid.NewGuid().ToString("N"))).FullName;
            var corpus = Directory.CreateDirectory(Path.Combine(folder, "corpus")).FullName;
            foreach (var label in new[] { "benign", "document_fraud", "fake_job_offer", "smuggling_service" })
            {
                File.Copy(Path.Combine(RepoPaths.Root, "models", "corpus", label + ".jsonl"), Path.Combine(corpus, label + ".jsonl"));
            }

            var path = Path.Combine(folder, "first-corpus.zip");
            var train = await CliProcess.RunAsync(folder, ["train", "--corpus", corpus, "--data", "none", "--output", path]);
            Assert.True(train.Exit == 0, train.Err + train.Out);
            return _model = path;
        }
        finally
        {
            Gate.Release();
        }
    }
}
