using BenchmarkDotNet.Attributes;
using ContentWatch.Classifier;
using ContentWatch.Core.Classification;

namespace ContentWatch.Benchmarks;

/// <summary>
/// The shipped model on one thread: one item at a time (the API and job path), <c>ClassifyBatch</c> over 1,000 and
/// 10,000 items, and the offline file path (<see cref="BatchFileClassifier"/>, JSONL in and out). Every figure is per
/// item (<c>OperationsPerInvoke</c>), allocations included.
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private LinearTextClassifier _classifier = null!;
    private IReadOnlyList<ClassifierInput> _items = null!;
    private IReadOnlyList<ClassifierInput> _first1000 = null!;
    private string _folder = null!;
    private string _inputFile = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _classifier = LinearTextClassifier.Load(BenchItems.ModelPath());
        _items = BenchItems.Build(10_000);
        _first1000 = _items.Take(1_000).ToList();
        _folder = Directory.CreateTempSubdirectory("cw-bench-").FullName;
        _inputFile = Path.Combine(_folder, "items.jsonl");
        File.WriteAllLines(_inputFile, _items.Select((item, i) =>
            System.Text.Json.JsonSerializer.Serialize(new { id = i, text = item.Text })));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "Classify, 1 item")]
    public Prediction SingleItem()
    {
        var item = _items[_next];
        _next = (_next + 1) % _items.Count;
        return _classifier.Classify(item);
    }

    [Benchmark(Description = "ClassifyBatch, 1,000 items", OperationsPerInvoke = 1_000)]
    public IReadOnlyList<Prediction> Batch1000() => _classifier.ClassifyBatch(_first1000);

    [Benchmark(Description = "ClassifyBatch, 10,000 items", OperationsPerInvoke = 10_000)]
    public IReadOnlyList<Prediction> Batch10000() => _classifier.ClassifyBatch(_items);

    [Benchmark(Description = "BatchFileClassifier, 10,000-line JSONL", OperationsPerInvoke = 10_000)]
    public Task<int> File10000() =>
        BatchFileClassifier.RunAsync(_inputFile, Path.Combine(_folder, "out.jsonl"), _classifier, progress: null, CancellationToken.None);
}
