using BenchmarkDotNet.Attributes;
using ContentWatch.Classifier;
using ContentWatch.Core.Classification;

namespace ContentWatch.Benchmarks;

/// <summary>
/// The stages of one <c>Classify</c> call, each over the same 1,000 corpus items, per item: normalising, scoring the
/// normalised text, indicator-only evidence (items below the review threshold) and full evidence (the first 200 flagged
/// items among them, per flagged item).
/// </summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    private const int Count = 1_000;
    private const int Flagged = 200;
    private LinearTextClassifier _classifier = null!;
    private string[] _texts = null!;
    private string[] _normalized = null!;
    private (string Text, string Normalized, int Harmful)[] _flagged = null!;
    private (string Text, IReadOnlyList<string> Indicators, List<string> Terms)[] _located = null!;
    private int _benign;
    private float[] _probabilities = null!;

    [GlobalSetup]
    public void Setup()
    {
        _classifier = LinearTextClassifier.Load(BenchItems.ModelPath());
        var model = _classifier.Model;
        _texts = BenchItems.Build(Count).Select(LinearTextClassifier.ComposeText).ToArray();
        _normalized = _texts.Select(t => TextNormalizer.Normalize(t, _classifier.Lexicon)).ToArray();
        _probabilities = new float[model.Classes];
        _benign = model.ClassLabels.ToList().IndexOf(Labels.Benign);
        var flagged = new List<(string, string, int)>();
        for (var i = 0; i < Count; i++)
        {
            var p = _classifier.Predict(_texts[i], explain: false);
            if (p.Score >= _classifier.ReviewThreshold)
            {
                var harmful = model.ClassLabels.ToList().IndexOf(p.Label);
                flagged.Add((_texts[i], _normalized[i], harmful));
            }
        }

        _flagged = [.. flagged.Take(Flagged)];
        _located = [.. _flagged.Select(f =>
        {
            var evidence = EvidenceBuilder.Explain(f.Text, f.Normalized, model, f.Harmful, _benign);
            return (f.Text, evidence.Indicators, evidence.Terms.Select(t => t.Term).ToList());
        })];
    }

    [Benchmark(Description = "TextNormalizer.Normalize", OperationsPerInvoke = Count)]
    public int Normalize()
    {
        var length = 0;
        foreach (var text in _texts)
        {
            length += TextNormalizer.Normalize(text, _classifier.Lexicon).Length;
        }

        return length;
    }

    [Benchmark(Description = "FeatureHasher.Score", OperationsPerInvoke = Count)]
    public float Score()
    {
        var sum = 0f;
        foreach (var normalized in _normalized)
        {
            LinearScorer.Score(normalized, _classifier.Model, _probabilities);
            sum += _probabilities[0];
        }

        return sum;
    }

    [Benchmark(Description = "EvidenceBuilder.IndicatorsOnly", OperationsPerInvoke = Count)]
    public int IndicatorsOnly()
    {
        var count = 0;
        foreach (var normalized in _normalized)
        {
            count += EvidenceBuilder.IndicatorsOnly(normalized).Indicators.Count;
        }

        return count;
    }

    [Benchmark(Description = "EvidenceBuilder.Explain, flagged item", OperationsPerInvoke = Flagged)]
    public int Explain()
    {
        var count = 0;
        foreach (var (text, normalized, harmful) in _flagged)
        {
            count += EvidenceBuilder.Explain(text, normalized, _classifier.Model, harmful, _benign).Spans.Count;
        }

        return count;
    }

    [Benchmark(Description = "EvidenceLocator.Locate, flagged item", OperationsPerInvoke = Flagged)]
    public int Locate()
    {
        var count = 0;
        foreach (var (text, indicators, terms) in _located)
        {
            count += EvidenceLocator.Locate(text, indicators, terms).Count;
        }

        return count;
    }
}
