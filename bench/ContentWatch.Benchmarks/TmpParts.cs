using System.Text;
using BenchmarkDotNet.Attributes;
using ContentWatch.Classifier;

namespace ContentWatch.Benchmarks;

[MemoryDiagnoser]
public class TmpParts
{
    private string[] _texts = null!;
    private string[] _words = null!;

    [GlobalSetup]
    public void Setup()
    {
        _texts = BenchItems.Build(1000).Select(i => i.Text).ToArray();
        _words = _texts.Select(TextNormalizer.NormalizeWords).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int IsNormalized() { var n = 0; foreach (var t in _texts) n += t.IsNormalized(NormalizationForm.FormKC) ? 1 : 0; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int NormalizeWords() { var n = 0; foreach (var t in _texts) n += TextNormalizer.NormalizeWords(t).Length; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Phone() { var n = 0; foreach (var t in _words) n += TextNormalizer.PhoneRegex().IsMatch(t) ? 1 : 0; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Messaging() { var n = 0; foreach (var t in _words) n += TextNormalizer.MessagingRegex().IsMatch(t) ? 1 : 0; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Price() { var n = 0; foreach (var t in _words) n += TextNormalizer.PriceRegex().IsMatch(t) ? 1 : 0; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Url() { var n = 0; foreach (var t in _words) n += TextNormalizer.UrlRegex().IsMatch(t) ? 1 : 0; return n; }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Email() { var n = 0; foreach (var t in _words) n += TextNormalizer.EmailRegex().IsMatch(t) ? 1 : 0; return n; }
}
