using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

[Collection(SampleModelFixture.Collection)]
public sealed class FeatureHasherTests(SampleModelFixture sample)
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
            var f = FeatureHasher.Featurize(TextNormalizer.Normalize(text), Vocabulary);
            Assert.Equal(f.Indices.Length, f.Values.Length);
            for (var i = 1; i < f.Indices.Length; i++)
            {
                Assert.True(f.Indices[i] > f.Indices[i - 1]);
            }

            Assert.All(f.Indices, i => Assert.InRange(i, 0, Vocabulary.Count - 1));
            Assert.All(f.Values, v => Assert.True(v > 0));
            foreach (var block in f.Indices.Select((index, k) => (Block: Vocabulary.BlockOf(index), Value: f.Values[k])).GroupBy(x => x.Block))
            {
                Assert.Equal(1.0, Math.Sqrt(block.Sum(x => (double)x.Value * x.Value)), 5);
            }
        }
    }

    /// <summary>The sample model's vocabulary (learnt on its train split).</summary>
    private FeatureVocabulary Vocabulary { get; } = LinearTextClassifier.Load(sample.ModelPath).Model.Vocabulary;

    [Fact]
    public void Learn_KeepsFeaturesInTwoTexts_WithSmoothedIdf()
    {
        string[] texts = ["boat to uk", "boat to france", "passport for sale", "passport to uk"];
        var vocabulary = FeatureVocabulary.Learn(texts);

        Assert.Equal((float)(Math.Log(5.0 / 3) + 1), Idf(vocabulary, "boat"), 5);   // in 2 texts
        Assert.Equal((float)(Math.Log(5.0 / 4) + 1), Idf(vocabulary, "to"), 5);     // in 3 texts
        Assert.Equal(-1, vocabulary.IndexOf(WordKey("sale")));                     // in 1 text: below the minimum
        Assert.Equal(-1, vocabulary.IndexOf(WordKey("dinghy")));                   // never seen
        Assert.Equal((float)(Math.Log(5.0 / 3) + 1), vocabulary.Idf.Max(), 5);     // the rarest kept features: 2 texts
        Assert.Equal(vocabulary.Keys.Order(), vocabulary.Keys);

        // Blocks are contiguous, in order: words (and word pairs), char n-grams, sub-words.
        var blocks = Enumerable.Range(0, vocabulary.Count).Select(vocabulary.BlockOf).ToList();
        Assert.Equal(blocks.Order(), blocks);
        Assert.Equal([FeatureHasher.WordBlock, FeatureHasher.CharBlock, FeatureHasher.SubwordBlock], blocks.Distinct());
        Assert.All(Enumerable.Range(0, vocabulary.Count), i => Assert.Equal(FeatureHasher.BlockOf(vocabulary.Keys[i]), vocabulary.BlockOf(i)));
        Assert.NotEqual(-1, vocabulary.IndexOf(FeatureHasher.BigramKey(WordHash("boat"), WordHash("to"))));
    }

    [Fact]
    public void Learn_WithMinGroups_DropsFeaturesOfOneWriterOnly()
    {
        string[] texts = ["boat to uk", "boat to france", "passport to uk", "passport for sale"];
        string[] writers = ["a", "a", "b", "c"];
        var vocabulary = FeatureVocabulary.Learn(texts, writers, minGroups: 2);

        Assert.Equal(-1, vocabulary.IndexOf(WordKey("boat")));                       // 2 texts, but both by writer a
        Assert.Equal((float)(Math.Log(5.0 / 3) + 1), Idf(vocabulary, "passport"), 5); // writers b and c
        Assert.Equal((float)(Math.Log(5.0 / 3) + 1), Idf(vocabulary, "uk"), 5);       // writers a and b
        Assert.Equal((float)(Math.Log(5.0 / 4) + 1), Idf(vocabulary, "to"), 5);
        Assert.Equal(-1, vocabulary.IndexOf(WordKey("sale")));
        Assert.Equal(FeatureVocabulary.Learn(texts).Keys, FeatureVocabulary.Learn(texts, writers, minGroups: 1).Keys);
        Assert.Throws<ArgumentException>(() => FeatureVocabulary.Learn(texts, ["a"], minGroups: 2));
    }

    [Fact]
    public void Vocabulary_RejectsKeysOutOfOrder_AndBadIdf()
    {
        Assert.Throws<ArgumentException>(() => new FeatureVocabulary([2, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new FeatureVocabulary([1, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => new FeatureVocabulary([1, 2], [1f, 0f]));
        Assert.Throws<ArgumentException>(() => new FeatureVocabulary([1, 2], [1f, float.NaN]));
        Assert.Throws<ArgumentException>(() => new FeatureVocabulary([1], [1f, 1f]));
    }

    private static float Idf(FeatureVocabulary vocabulary, string word)
    {
        var index = vocabulary.IndexOf(WordKey(word));
        Assert.True(index >= 0, $"'{word}' is not in the vocabulary");
        return vocabulary.Idf[index];
    }

    private static ulong WordKey(string word) => FeatureHasher.WordFeaturesOf(word).Keys[0];

    private static ulong WordHash(string word) => FeatureHasher.WordFeaturesOf(word).Hash;

    [Fact]
    public void WordFeatures_CoverAllOfALongUnspacedWord()
    {
        // Thai writes a phrase without spaces: two phrases that share their first 64 characters must still differ in
        // their char n-grams and sub-words, not only in the whole-word key.
        var start = string.Concat(Enumerable.Repeat("เรือไปอิตาลี", 6));
        var boat = FeatureHasher.WordFeaturesOf(start + "ปลอดภัยจ่ายทีหลัง").Keys.Skip(1).ToHashSet();
        var other = FeatureHasher.WordFeaturesOf(start + "สวัสดีตอนเช้า").Keys.Skip(1).ToHashSet();
        Assert.True(start.Length >= FeatureHasher.MaxWordChars);
        Assert.False(boat.SetEquals(other));
        Assert.Contains(boat, key => FeatureHasher.BlockOf(key) == FeatureHasher.SubwordBlock && !other.Contains(key));
    }

    [Fact]
    public void Featurize_IsStable_ForTheSameText()
    {
        var a = FeatureHasher.Featurize(TextNormalizer.Normalize(Texts[0]), Vocabulary);
        var b = FeatureHasher.Featurize(TextNormalizer.Normalize(Texts[0]), Vocabulary);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
        Assert.Contains(a.Indices, i => Vocabulary.BlockOf(i) == FeatureHasher.SubwordBlock); // o200k sub-words are there
        Assert.Contains(a.Indices, i => Vocabulary.BlockOf(i) == FeatureHasher.CharBlock);
        Assert.Contains(a.Indices, i => Vocabulary.BlockOf(i) == FeatureHasher.WordBlock);
    }

    [Fact]
    public void Trace_RecordsEveryOccurrence_OfTheFeatureVector()
    {
        foreach (var text in Texts)
        {
            var normalized = TextNormalizer.Normalize(text);
            var trace = new List<FeatureOccurrence>();
            FeatureHasher.Trace(normalized, trace);
            var f = FeatureHasher.Featurize(normalized, Vocabulary);
            var counts = trace.Select(o => Vocabulary.IndexOf(o.Key)).Where(i => i >= 0).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(f.Indices, counts.Keys.Order());
            Assert.All(trace, o => Assert.True(o.Start >= 0 && o.Start + o.Length <= normalized.Length));
            Assert.All(trace, o => Assert.Equal(o.Kind is FeatureKind.Word or FeatureKind.WordBigram ? FeatureHasher.WordBlock
                : o.Kind == FeatureKind.Chars ? FeatureHasher.CharBlock : FeatureHasher.SubwordBlock, FeatureHasher.BlockOf(o.Key)));

            // Within a block every value is (1 + ln count) × idf × the same scale.
            foreach (var block in f.Indices.Select((index, k) => (index, k)).GroupBy(x => Vocabulary.BlockOf(x.index)))
            {
                var scales = block.Select(x => f.Values[x.k] / ((1 + Math.Log(counts[x.index])) * Vocabulary.Idf[x.index])).ToList();
                Assert.All(scales, sc => Assert.Equal(scales[0], sc, 5));
            }
        }
    }

    [Fact]
    public void Score_MatchesTheSparseDotProduct()
    {
        var classifier = LinearTextClassifier.Load(sample.ModelPath);
        var model = classifier.Model;
        var expected = new float[model.Classes];
        var actual = new float[model.Classes];
        foreach (var text in Texts)
        {
            var normalized = TextNormalizer.Normalize(text);
            model.Predict(FeatureHasher.Featurize(normalized, model.Vocabulary), expected);
            LinearScorer.Score(normalized, model, actual);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 5);
            }

            Assert.Equal(1.0, actual.Sum(), 4);
        }
    }

    [Fact]
    public void Score_IsTheOccurrenceByOccurrenceSum_ToTheBit()
    {
        // Score reads rows from the model's word cache and adds four classes at once; the result must be exactly
        // the plain sum over the trace, occurrence by occurrence in text order (or, past the count table, the dot product).
        var model = LinearTextClassifier.Load(sample.ModelPath).Model;
        var k = model.Classes;
        var expected = new float[k];
        var actual = new float[k];
        foreach (var text in Texts.Concat(FeatureFingerprint.Texts()))
        {
            var normalized = TextNormalizer.Normalize(text);
            var trace = new List<FeatureOccurrence>();
            FeatureHasher.Trace(normalized, trace);
            var known = trace.Select(o => model.Vocabulary.IndexOf(o.Key)).Where(i => i >= 0).ToList();
            if (known.Distinct().Count() > 4096)
            {
                model.Predict(FeatureHasher.Featurize(normalized, model.Vocabulary), expected);
            }
            else
            {
                var counts = new Dictionary<int, int>();
                var blockLogits = new double[FeatureHasher.Blocks * k];
                var sumSquares = new double[FeatureHasher.Blocks];
                foreach (var index in known)
                {
                    var previous = counts.GetValueOrDefault(index);
                    counts[index] = previous + 1;
                    var block = model.Vocabulary.BlockOf(index);
                    sumSquares[block] += model.AddOccurrence(index, previous, blockLogits.AsSpan(block * k, k));
                }

                var logits = new double[k];
                model.Biases(logits);
                for (var b = 0; b < FeatureHasher.Blocks; b++)
                {
                    if (sumSquares[b] > 0)
                    {
                        var scale = (double)(float)(1.0 / Math.Sqrt(sumSquares[b]));
                        for (var c = 0; c < k; c++)
                        {
                            logits[c] += scale * blockLogits[b * k + c];
                        }
                    }
                }

                LinearModel.Softmax(logits, expected);
            }

            // twice: the second time the words come from the model's word cache
            for (var run = 0; run < 2; run++)
            {
                LinearScorer.Score(normalized, model, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Classify_IsThreadSafe()
    {
        var classifier = LinearTextClassifier.Load(sample.ModelPath);
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

/// <summary>Texts that exercise every normaliser rule, and a hash of what they turn into.</summary>
internal static class FeatureFingerprint
{
    private static readonly string[] Pieces =
    [
        "W h a t s A p p", "wh4tsapp", "WhаtsApp", "📱", "🚤", "🇬🇧", "🇩🇪🇫🇷", "🇿🇿", "+44 7700 900123", "0049-151-2345678", "(0)20 7946 0958",
        "€2500", "2,500 euros", "1.5k usd", "two thousand five hundred", "zero seven seven one two", "deux mille", "five euros", "t.e.l.e.g.r.a.m",
        "w-h-a-t-s", "p4ssp0rt", "d0cum3nts", "covid19", "john.doe@mail.com", "@smuggler_x", "www.visa.com", "visa-uk.co", "https://t.me/abc",
        "واتساب", "تلگرام", "٠٧٧١٢٣٤٥٦٧", "۰۹۱۲۳۴۵۶۷۸۹", "الفين دولار", "جَوَاز سَفَر", "أإآٱ ىیئ ة ک ،؛؟٪", "ﷺ", "\uD800", "\uDC00x", "\u200B", "ﬁ", "Ａｂｃ",
        "𝐭𝐞𝐥𝐞𝐠𝐫𝐚𝐦", "ǅ", "İstanbul", "ß", "  \t\n ", "…", "–", "·", "a.b.c.d", "x", "y", "z", "ΡΑSSPORT", "Ελλάδα", "Москва", "pаssport", "中国",
        "日本語", "한국어", "हिन्दी", "ข้อความ", "é", "e\u0301", "$500", "500$", "£1.000,00", "k", "mil", "tl", "cw_phone", "Vi\u200Bber", "\u00A0",
        "😀", "🚀🚀", "☎", "✅", "💶💶", "👉", "🇬", "x\u0308", "ﺗﻠﮕﺮام", "ＡＢＣ１２３", "ⅻ", "①②③", "ﾊﾝｶｸ", "ŉ", "ǰ",
    ];

    public static IEnumerable<string> Texts()
    {
        foreach (var path in Directory.GetFiles(TestPaths.SampleCorpus, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                yield return doc.RootElement.GetProperty("text").GetString()!;
            }
        }

        var random = new Random(7);
        for (var t = 0; t < 400; t++)
        {
            var text = new System.Text.StringBuilder();
            for (var p = random.Next(1, 30); p > 0; p--)
            {
                if (random.Next(3) == 0)
                {
                    text.Append(Pieces[random.Next(Pieces.Length)]);
                }
                else
                {
                    for (var c = random.Next(1, 9); c > 0; c--)
                    {
                        text.Append((char)random.Next(random.Next(4) == 0 ? 0x20 : 0x61, random.Next(5) == 0 ? 0x700 : 0x7B));
                    }
                }

                text.Append(random.Next(6) == 0 ? "" : " ");
            }

            yield return text.ToString();
        }
    }

    public static string Compute()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var trace = new List<FeatureOccurrence>();
        foreach (var text in Texts())
        {
            var normalized = TextNormalizer.Normalize(text);
            trace.Clear();
            FeatureHasher.Trace(normalized, trace);
            var line = normalized + "\n" + TextNormalizer.NormalizeWords(text) + "\n"
                + string.Join(' ', trace.Select(o => $"{o.Key:x16}:{o.Start}:{o.Length}")) + "\n";
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

public sealed class RuntimeDependencyTests
{
    [Fact]
    public void TheRuntimeClassifier_DoesNotReferenceMlNet()
    {
        // Scoring, evidence and the model file need only Microsoft.ML.Tokenizers; ML.NET itself is for training.
        var references = typeof(LinearTextClassifier).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, r => r == "Microsoft.ML" || (r.StartsWith("Microsoft.ML.", StringComparison.Ordinal) && !r.StartsWith("Microsoft.ML.Tokenizers", StringComparison.Ordinal)));
        Assert.DoesNotContain("ContentWatch.Classifier.Training", references);
        Assert.Contains(typeof(ModelTrainer).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.ML.Standard", StringComparison.Ordinal) || a.Name == "Microsoft.ML.Data");
    }
}
