using ContentWatch.Core.Classification;

namespace ContentWatch.Classifier.Tests;

[Collection(SampleModelFixture.Collection)]
public sealed class EvidenceTests(SampleModelFixture sample)
{
    private LinearTextClassifier Model { get; } = LinearTextClassifier.Load(sample.ModelPath);

    private static void AssertSpansInside(string text, Evidence evidence)
    {
        foreach (var s in evidence.Spans)
        {
            Assert.True(s.Start >= 0 && s.Length > 0 && s.Start + s.Length <= text.Length, $"span {s} outside a text of {text.Length}");
        }
    }

    [Fact]
    public void Explain_ListsIndicatorsTermsAndSpans_ForAFlaggedAdvert()
    {
        const string text = "🚤🇬🇧 Boat to UK this week! £1,800 per person, pay after arrival. WhatsApp +44 7700 900412";
        var p = Model.Classify(new ClassifierInput(text));
        Assert.True(p.Score >= Model.ReviewThreshold);
        var e = p.Evidence!;
        Assert.Equal(["phone_number", "messaging_app", "price"], e.Indicators);
        Assert.InRange(e.Terms.Count, 1, EvidenceBuilder.MaxTerms);
        Assert.All(e.Terms, t => Assert.True(t.Weight > 0));
        Assert.Equal(e.Terms.OrderByDescending(t => t.Weight).Select(t => t.Term), e.Terms.Select(t => t.Term));
        AssertSpansInside(text, e);

        Assert.Contains(e.Spans, s => s.Reason == "phone_number" && text.Substring(s.Start, s.Length) == "+44 7700 900412");
        Assert.Contains(e.Spans, s => s.Reason == "messaging_app" && text.Substring(s.Start, s.Length) == "WhatsApp");
        Assert.Contains(e.Spans, s => s.Reason == "price" && text.Substring(s.Start, s.Length) == "£1,800");

        // Every plain-word term found in the text is highlighted where it is, case aside.
        foreach (var term in e.Terms.Where(t => !t.Term.Contains(' ', StringComparison.Ordinal)))
        {
            foreach (var span in e.Spans.Where(s => s.Reason == term.Term))
            {
                var original = text.Substring(span.Start, span.Length);
                Assert.Equal(term.Term, TextNormalizer.NormalizeWords(original).Split(' ')[0]);
            }
        }
    }

    [Fact]
    public void Explain_HighlightsObfuscatedWords_InTheOriginalText()
    {
        const string text = "Fast b0at to UK, W h a t s A p p +44 7700 900 123, 2000€ pay after arrival";
        var e = Model.Classify(new ClassifierInput(text)).Evidence!;
        AssertSpansInside(text, e);
        var messaging = Assert.Single(e.Spans, s => s.Reason == "messaging_app");
        Assert.Equal("W h a t s A p p", text.Substring(messaging.Start, messaging.Length));
    }

    [Fact]
    public void Explain_FindsTheEmojiAndHomoglyphsBehindTerms()
    {
        var located = EvidenceLocator.Locate("🚤 to Itаly", [], ["boat", "italy"]); // Cyrillic а in Itаly
        Assert.Contains(located, s => s is { Start: 0, Length: 2, Reason: "boat" });
        Assert.Contains(located, s => s is { Start: 6, Length: 5, Reason: "italy" });
    }

    [Fact]
    public void Spans_AreOffsetsIntoTheItemText_WhenThereIsATitle()
    {
        const string title = "Boat UK";
        const string text = "WhatsApp +44 7700 900412, £1,800, pay after arrival";
        var p = Model.Classify(new ClassifierInput(text, title));
        var e = p.Evidence!;
        AssertSpansInside(text, e);
        Assert.Contains(e.Spans, s => s.Reason == "phone_number" && text.Substring(s.Start, s.Length) == "+44 7700 900412");
    }

    [Fact]
    public void BelowTheThreshold_OnlyIndicatorsAreGiven()
    {
        var p = Model.Classify(new ClassifierInput("Recipe: lentil soup with cumin. Questions? email me at cook@example.org"));
        Assert.True(p.Score < Model.ReviewThreshold);
        Assert.Contains("email", p.Evidence!.Indicators);
        Assert.Empty(p.Evidence.Terms);
        Assert.Empty(p.Evidence.Spans);
    }

    [Fact]
    public void Spans_StayInsideTheText_ForHostileInput()
    {
        var random = new Random(7);
        string[] pieces = ["🚤", "🇬🇧", "\u0301", "ﷺ", "\uD83D", "\uDE00", "ﬁ", "Ⅻ", "w h a t s a p p", "+44 7700 900 412", "€", "İ", "ß", "t.e.l.e", "٢٥٠٠", " ", "\n", "passport"];
        for (var n = 0; n < 300; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var normalized = TextNormalizer.Normalize(text);
            var e = EvidenceBuilder.Explain(text, normalized, Model.Model, 0, 3);
            AssertSpansInside(text, e);
        }
    }
}
