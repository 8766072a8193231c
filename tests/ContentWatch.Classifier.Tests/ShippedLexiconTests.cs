namespace ContentWatch.Classifier.Tests;

/// <summary>The analysts' lexicon in <c>models/lexicon/concepts.json</c>: complete, and it finds its concepts in real-looking posts.</summary>
public sealed class ShippedLexiconTests
{
    private static readonly ConceptLexicon Lexicon = ConceptLexicon.Load(TestPaths.Lexicon);

    public static readonly TheoryData<string> RequiredConcepts =
    [
        "crossing_route", "destination", "guarantee_safety", "police_border_evasion", "success_testimony", "escrow_payment",
        "documents", "job_lure", "upfront_fee", "urgency", "contact_channel",
    ];

    [Fact]
    public void Lexicon_CoversAtLeastThirtyLanguages_IncludingTheMissionsOwn()
    {
        Assert.True(Lexicon.Languages.Count >= 30, $"{Lexicon.Languages.Count} languages");
        Assert.Subset(Lexicon.Languages.ToHashSet(), new HashSet<string>
        {
            "en", "ar", "fa", "prs", "ps", "ckb", "kmr", "sq", "vi", "tr", "fr", "ur", "es", "de", "so", "ti", "am",
        });
    }

    [Theory]
    [MemberData(nameof(RequiredConcepts))]
    public void EveryRequiredConcept_HasTermsInEveryListedLanguage(string id)
    {
        var concept = Assert.Single(Lexicon.Concepts, c => c.Id == id);
        Assert.All(Lexicon.Languages, language => Assert.NotEmpty(concept.Terms[language]));
    }

    [Theory]
    [InlineData("Boat to Italy this week, small boat, safe trip", "crossing_route")]
    [InlineData("رحلات تهريب الى اليونان", "crossing_route")]
    [InlineData("kaçak yolla Avrupa'ya geçiş", "crossing_route")]
    [InlineData("migration to Europe from Libya", "destination")]
    [InlineData("100% guaranteed arrival, family friendly", "guarantee_safety")]
    [InlineData("ضمان وصول لكل العائلات", "guarantee_safety")]
    [InlineData("no police, no fingerprints, straight through", "police_border_evasion")]
    [InlineData("sin policía, sin migra, llegas directo", "police_border_evasion")]
    [InlineData("our clients arrived safely yesterday, thank God", "success_testimony")]
    [InlineData("الحمدلله وصلوا بالسلامة", "success_testimony")]
    [InlineData("leave the money with the exchange office, pay on arrival", "escrow_payment")]
    [InlineData("varınca ödeme, para sarrafta", "escrow_payment")]
    [InlineData("pago al llegar, el dinero queda en la oficina", "escrow_payment")]
    [InlineData("Passports and residence permits for sale", "documents")]
    [InlineData("pasaporte original registrado, entrega rápida", "documents")]
    [InlineData("jobs abroad, high salary, no experience needed", "job_lure")]
    [InlineData("processing fee before the visa", "upfront_fee")]
    [InlineData("limited places, last chance this month", "urgency")]
    [InlineData("inbox me for the price", "contact_channel")]
    [InlineData("özelden yazın detaylar için", "contact_channel")]
    [InlineData("Smugglers arrested, the court sentenced the network", "news_reporting")]
    [InlineData("Beware of this scam, do not pay anyone", "warning_advice")]
    [InlineData("licensed agency, licence number 1234", "licensed_official")]
    public void SampleSentences_HitTheirConcept(string text, string concept) =>
        Assert.Contains(concept, ConceptLexicon.ConceptsIn(TextNormalizer.Normalize(text, Lexicon)));

    [Fact]
    public void EveryConcept_IsFoundBySomeOfItsOwnTerms_InEveryLanguage()
    {
        // A term that can never match (it normalises to something the matcher cannot see) is a silent hole in the lexicon.
        foreach (var concept in Lexicon.Concepts)
        {
            foreach (var (language, terms) in concept.Terms)
            {
                var hits = terms.Count(t => ConceptLexicon.ConceptsIn(TextNormalizer.Normalize("x " + t.TrimEnd('*') + " x", Lexicon)).Contains(concept.Id));
                Assert.True(hits == terms.Count, $"{concept.Id}/{language}: {terms.Count - hits} of {terms.Count} terms do not match themselves");
            }
        }
    }
}
