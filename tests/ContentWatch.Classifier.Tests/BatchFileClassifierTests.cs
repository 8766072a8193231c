using System.Text;
using System.Text.Json;
using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

public sealed class BatchFileClassifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cw-batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunAsync_WritesOneLinePerJsonlRecord_InOrder_EchoingIdTypes()
    {
        var input = Write("in.jsonl",
            """{"id":"a-1","text":"boat to uk"}""",
            """{"id":42,"text":"hello there","lang":"en"}""",
            """{"id":"t","title":"Drivers wanted","text":"pay fee","kind":"job_ad"}""");
        var fake = new FakeClassifier();

        var lines = await RunAsync(input, fake);

        Assert.Equal(3, lines.Count);
        Assert.Equal(JsonValueKind.String, lines[0].GetProperty("id").ValueKind);
        Assert.Equal("a-1", lines[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, lines[1].GetProperty("id").ValueKind);
        Assert.Equal(42, lines[1].GetProperty("id").GetInt32());
        Assert.Equal(Labels.SmugglingService, lines[0].GetProperty("label").GetString());
        Assert.Equal(Labels.Benign, lines[1].GetProperty("label").GetString());
        Assert.Equal(FakeClassifier.Version, lines[0].GetProperty("model").GetString());
        Assert.Equal(Labels.All, lines[0].GetProperty("scores").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.9, lines[0].GetProperty("score").GetDouble(), 6);
        Assert.Contains(fake.Seen, i => i is { Title: "Drivers wanted", Kind: "job_ad" });
        Assert.Contains(fake.Seen, i => i is { Language: "en" });
    }

    [Fact]
    public async Task RunAsync_KeepsBadJsonlLines_AsErrorLines()
    {
        var input = Write("bad.jsonl",
            """{"id":1,"text":"fine"}""",
            """{"id":2,"text":""",
            "",
            """{"id":3}""",
            """{"id":4,"text":17}""",
            """[1,2,3]""",
            """{"id":5,"text":"   "}""",
            """{"id":6,"text":"also fine"}""");

        var lines = await RunAsync(input, new FakeClassifier());

        Assert.Equal(7, lines.Count); // the blank line is not a record
        Assert.True(lines[0].TryGetProperty("label", out _));
        Assert.True(lines[6].TryGetProperty("label", out _));
        foreach (var bad in lines.Skip(1).Take(5))
        {
            Assert.False(bad.TryGetProperty("label", out _));
            Assert.False(string.IsNullOrEmpty(bad.GetProperty("error").GetString()));
            Assert.Equal(FakeClassifier.Version, bad.GetProperty("model").GetString());
        }

        Assert.Equal(2, lines[1].GetProperty("id").GetInt32()); // unparseable: no id, so its line number
        Assert.Equal(3, lines[2].GetProperty("id").GetInt32());
        Assert.Equal(4, lines[3].GetProperty("id").GetInt32());
        Assert.Contains("line 2", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReadsCsv_WithQuotedNewlines_AndFlagsMissingText()
    {
        var input = Write("in.csv",
            "id,title,text,kind,lang",
            "c1,,\"line one\nline two, with comma\",post,en",
            "c2,Job,\"\"\"quoted\"\" boat\",job_ad,fr",
            "c3,,,post,en",
            "c4");
        var fake = new FakeClassifier();

        var lines = await RunAsync(input, fake);

        Assert.Equal(4, lines.Count);
        Assert.Equal(["c1", "c2", "c3", "c4"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal("line one\nline two, with comma", fake.Seen[0].Text);
        Assert.Equal("\"quoted\" boat", fake.Seen[1].Text);
        Assert.Equal("Job", fake.Seen[1].Title);
        Assert.Equal("fr", fake.Seen[1].Language);
        Assert.True(lines[2].TryGetProperty("error", out _));
        Assert.True(lines[3].TryGetProperty("error", out _));
        Assert.False(lines[3].TryGetProperty("label", out _));
    }

    [Fact]
    public async Task RunAsync_RejectsCsvWithoutTextColumn()
    {
        var input = Write("notext.csv", "id,body", "1,hello");
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            BatchFileClassifier.RunAsync(input, Path.Combine(_dir, "out.jsonl"), new FakeClassifier(), null, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_StreamsManyChunks_InOrder_AndBoundsText()
    {
        var count = BatchFileClassifier.ChunkSize * 2 + 7;
        var rows = Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { id = i, text = i == 5 ? new string('x', 50_000) : $"item {i}" }));
        var input = Write("many.jsonl", rows.ToArray());
        var fake = new FakeClassifier();
        var reported = new List<long>();

        var output = Path.Combine(_dir, "many.out.jsonl");
        var written = await BatchFileClassifier.RunAsync(input, output, fake, new SyncProgress(reported.Add), CancellationToken.None);

        Assert.Equal(count, written);
        var ids = File.ReadLines(output).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, count), ids);
        Assert.Equal(BatchFileClassifier.MaxTextLength, fake.Seen[5].Text.Length);
        Assert.Equal(3, fake.BatchSizes.Count);
        Assert.True(fake.BatchSizes.Max() <= BatchFileClassifier.ChunkSize);
        Assert.Equal(count, reported[^1]);
    }

    [Fact]
    public async Task RunAsync_WithTheRealClassifier_WritesValidProbabilities()
    {
        using var fixture = new SampleModelFixture();
        var input = Write("real.jsonl",
            """{"id":"x","text":"Boat from Libya to Italy this week, 2000 euro, WhatsApp +44 7700 900123"}""",
            """{"id":"y","text":"Ferry timetable Calais - Dover: departures at 08:00 daily."}""");

        var lines = await RunAsync(input, LinearTextClassifier.Load(fixture.ModelPath));

        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            Assert.True(Labels.IsValid(line.GetProperty("label").GetString()));
            var sum = line.GetProperty("scores").EnumerateObject().Sum(p => p.Value.GetDouble());
            Assert.Equal(1.0, sum, 3);
        }
    }

    [Fact]
    public async Task RunAsync_GivesLinesWithALoneSurrogateOrInvalidUtf8_AnErrorLine_AndGoesOn()
    {
        var input = Path.Combine(_dir, "hostile.jsonl");
        await File.WriteAllBytesAsync(input,
        [
            .. """{"id":1,"text":"fine"}"""u8, (byte)'\n',
            .. """{"id":2,"text":"lone \ud800 surrogate"}"""u8, (byte)'\n',
            .. """{"id":3,"text":"raw """u8, 0xFF, .. "\"}\n"u8,
            .. """{"id":4,"text":"also fine"}"""u8, (byte)'\n',
        ]);
        var fake = new FakeClassifier();

        var lines = await RunAsync(input, fake);

        Assert.Equal(4, lines.Count);
        Assert.True(lines[0].TryGetProperty("label", out _));
        Assert.Equal(2, lines[1].GetProperty("id").GetInt32());
        Assert.Contains("text", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("UTF-8", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(lines[3].TryGetProperty("label", out _));
        Assert.Equal(["fine", "also fine"], fake.Seen.Select(i => i.Text));
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    private async Task<List<JsonElement>> RunAsync(string input, ITextClassifier classifier)
    {
        var output = Path.Combine(_dir, Path.GetFileNameWithoutExtension(input) + ".out.jsonl");
        var written = await BatchFileClassifier.RunAsync(input, output, classifier, null, CancellationToken.None);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(written, lines.Count);
        return lines;
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>Says "smuggling" when the text mentions a boat; records what it was given.</summary>
    private sealed class FakeClassifier : ITextClassifier
    {
        public const string Version = "fake-1";

        public List<ClassifierInput> Seen { get; } = [];

        public List<int> BatchSizes { get; } = [];

        public string ModelVersion => Version;

        public double ReviewThreshold => 0.5;

        public Prediction Classify(ClassifierInput input)
        {
            Seen.Add(input);
            var harmful = input.Text.Contains("boat", StringComparison.OrdinalIgnoreCase) ? 0.9 : 0.1;
            return new Prediction(harmful >= 0.5 ? Labels.SmugglingService : Labels.Benign, harmful, new Dictionary<string, double>
            {
                [Labels.SmugglingService] = harmful,
                [Labels.DocumentFraud] = 0,
                [Labels.FakeJobOffer] = 0,
                [Labels.Benign] = 1 - harmful,
            });
        }

        public IReadOnlyList<Prediction> ClassifyBatch(IReadOnlyList<ClassifierInput> inputs)
        {
            BatchSizes.Add(inputs.Count);
            return inputs.Select(Classify).ToList();
        }
    }
}
