using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

public sealed class FeaturizerTests(SampleModelFixture sample) : IClassFixture<SampleModelFixture>
{
    private static readonly string[] Texts =
    [
        "🚤🇬🇧 Boat to UK this week, £1,800 per person, WhatsApp +44 7700 900412",
        "Police arrested four men in Calais suspected of organising small boat crossings.",
        "جواز سفر أوروبي أصلي مسجل في النظام، التواصل تلغرام",
        "W h a t s A p p me for p4ssp0rt",
        "",
        "a",
        "word word word word word word",
        string.Join(' ', Enumerable.Range(0, 6_000).Select(i => "w" + i)), // more distinct features than the count table holds
    ];

    [Fact]
    public void Featurize_GivesSortedDistinctIndices_WithUnitNormBlocks()
    {
        foreach (var text in Texts)
        {
            var f = Featurizer.Featurize(TextNormalizer.Normalize(text), Idf);
            Assert.Equal(f.Indices.Length, f.Values.Length);
            for (var i = 1; i < f.Indices.Length; i++)
            {
                Assert.True(f.Indices[i] > f.Indices[i - 1]);
            }

            Assert.All(f.Indices, i => Assert.InRange(i, 0, Featurizer.Dimension - 1));
            foreach (var block in f.Indices.Select((index, k) => (Block: index >> Featurizer.BlockBits, Value: f.Values[k])).GroupBy(x => x.Block))
            {
                Assert.Equal(1.0, Math.Sqrt(block.Sum(x => (double)x.Value * x.Value)), 5);
            }
        }
    }

    /// <summary>The sample model's idf (counted on its train split).</summary>
    private float[] Idf => MlTextClassifier.Load(sample.ModelPath).Model.Idf;

    [Fact]
    public void InverseDocumentFrequencies_AreSmoothed_AndHighestForUnseenFeatures()
    {
        string[] texts = ["boat to uk", "boat to france", "passport for sale"];
        var idf = Featurizer.InverseDocumentFrequencies(texts);
        var unseen = (float)(Math.Log(4.0 / 1) + 1);
        var trace = new List<FeatureOccurrence>();
        Featurizer.Trace("boat", trace);
        var boat = trace.Single(o => o.Index < Featurizer.CharOffset).Index;
        Featurizer.Trace("passport", trace);
        var passport = trace.Last(o => o.Index < Featurizer.CharOffset).Index;
        Assert.Equal((float)(Math.Log(4.0 / 3) + 1), idf[boat], 5);
        Assert.Equal((float)(Math.Log(4.0 / 2) + 1), idf[passport], 5);
        Assert.Equal(unseen, idf.Max(), 5);
    }

    [Fact]
    public void Featurize_IsStable_ForTheSameText()
    {
        var a = Featurizer.Featurize(TextNormalizer.Normalize(Texts[0]), Idf);
        var b = Featurizer.Featurize(TextNormalizer.Normalize(Texts[0]), Idf);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.Contains(a.Indices, i => i >= Featurizer.SubwordOffset); // o200k sub-words are there
        Assert.Contains(a.Indices, i => i is >= Featurizer.CharOffset and < Featurizer.SubwordOffset);
    }

    [Fact]
    public void Trace_RecordsEveryOccurrence_OfTheFeatureVector()
    {
        foreach (var text in Texts)
        {
            var normalized = TextNormalizer.Normalize(text);
            var trace = new List<FeatureOccurrence>();
            Featurizer.Trace(normalized, trace);
            var f = Featurizer.Featurize(normalized, Idf);
            var counts = trace.GroupBy(o => o.Index).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(f.Indices, counts.Keys.Order());
            Assert.All(trace, o => Assert.True(o.Start >= 0 && o.Start + o.Length <= normalized.Length));

            // Within a block every value is (1 + ln count) × idf × the same scale.
            foreach (var block in f.Indices.Select((index, k) => (index, k)).GroupBy(x => x.index >> Featurizer.BlockBits))
            {
                var scales = block.Select(x => f.Values[x.k] / ((1 + Math.Log(counts[x.index])) * Idf[x.index])).ToList();
                Assert.All(scales, sc => Assert.Equal(scales[0], sc, 5));
            }
        }
    }

    [Fact]
    public void Score_MatchesTheSparseDotProduct()
    {
        var classifier = MlTextClassifier.Load(sample.ModelPath);
        var model = classifier.Model;
        var expected = new float[model.Classes];
        var actual = new float[model.Classes];
        foreach (var text in Texts)
        {
            var normalized = TextNormalizer.Normalize(text);
            model.Predict(Featurizer.Featurize(normalized, model.Idf), expected);
            Featurizer.Score(normalized, model, actual);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 5);
            }

            Assert.Equal(1.0, actual.Sum(), 4);
        }
    }

    [Fact]
    public void Classify_IsThreadSafe()
    {
        var classifier = MlTextClassifier.Load(sample.ModelPath);
        var inputs = Enumerable.Range(0, 400).Select(i => new ClassifierInput(Texts[i % Texts.Length] + " " + i)).ToList();
        var serial = classifier.ClassifyBatch(inputs);
        var parallel = new Prediction[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = classifier.Classify(inputs[i]));
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(serial[i].Score, parallel[i].Score, 6);
        }
    }
}
