namespace ContentWatch.Classifier.Tests;

/// <summary>The analysts' lexicon in <c>models/lexicon/concepts.json</c>: complete, and it finds its concepts in real-looking posts.</summary>
public sealed class ShippedLexiconTests
{
    private static readonly ConceptLexicon Lexicon = ConceptLexicon.Load(TestPaths.Lexicon);

    public static readonly TheoryData<string> RequiredConcepts =
    [
        "crossing_route", "destination", "guarantee_safety", "police_border_evasion", "success_testimony", "escrow_payment",
        "documents", "job_lure", "upfront_fee", "urgency", "contact_channel", "departure_logistics",
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
    [InlineData("캄보디아 고수익 해외 알바 구합니다, 항공권 지원", "job_lure")]
    [InlineData("밀입국 브로커 일당 검거됐다고 경찰이 밝혔다", "news_reporting")]
    [InlineData("闇バイトの募集、即日払い、高額案件です", "job_lure")]
    [InlineData("在留カードとパスポート、すぐ作れます", "documents")]
    [InlineData("Práce v zahraničí, vysoký plat, ubytování zdarma", "job_lure")]
    [InlineData("Pozor na podvodníky, neplaťte předem", "warning_advice")]
    [InlineData("Magas fizetésű külföldi munka, szállással", "job_lure")]
    [InlineData("Illegális határátlépés, fizetés megérkezés után", "escrow_payment")]
    [InlineData("Be ready tonight, the driver will pick you up at the meeting point", "departure_logistics")]
    [InlineData("gece hazır olun, şoför sizi alacak", "departure_logistics")]
    [InlineData("جهزوا حالكم الليلة", "departure_logistics")]
    [InlineData("Wọ́n ti dé láyọ̀ lónìí", "success_testimony")] // Yoruba, tone marks folded
    [InlineData("lḥerga ɣer sbanya ddurt-a", "crossing_route")] // Kabyle
    [InlineData("Մեր հաճախորդները հասան։", "success_testimony")] // Armenian, sentence-final full stop
    [InlineData("გადახდა ჩასვლის შემდეგ", "escrow_payment")] // Georgian
    [InlineData("ΠΛΑΣΤΟ ΔΙΑΒΑΤΗΡΙΟ", "documents")] // Greek capitals, accents and final sigma folded
    public void SampleSentences_HitTheirConcept(string text, string concept) =>
        Assert.Contains(concept, ConceptLexicon.ConceptsIn(TextNormalizer.Normalize(text, Lexicon)));

    [Fact]
    public void EveryConcept_IsFoundBySomeOfItsOwnTerms_InEveryLanguage()
    {
        // A term that can never match (it normalises to something the matcher cannot see) is a silent hole in the lexicon.
        // Padded with two-letter words: a one-letter pad would join a term's own one-syllable words (Korean 한 팀) as spaced-out letters.
        foreach (var concept in Lexicon.Concepts)
        {
            foreach (var (language, terms) in concept.Terms)
            {
                var hits = terms.Count(t => ConceptLexicon.ConceptsIn(TextNormalizer.Normalize("xx " + t.TrimEnd('*') + " xx", Lexicon)).Contains(concept.Id));
                Assert.True(hits == terms.Count, $"{concept.Id}/{language}: {terms.Count - hits} of {terms.Count} terms do not match themselves");
            }
        }
    }
}

/// <summary>The indexed matcher against a plain scan of every term, on a ninth of the corpus texts.</summary>
public sealed class LexiconMatcherReferenceTests
{
    [Fact]
    public void Match_FindsExactlyWhatAPlainScanOfEveryTermFinds()
    {
        var lexicon = ConceptLexicon.Load(TestPaths.Lexicon);
        var terms = lexicon.Concepts.SelectMany((c, index) => c.Terms.Values.SelectMany(t => t)
            .Select(t => (Concept: index, Term: ConceptLexicon.NormalizeTerm(t)))).Where(t => t.Term.Length > 0).ToList();
        var texts = Directory.GetFiles(TestPaths.Corpus, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Where((_, i) => i % 9 == 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        Assert.True(texts.Count > 1_000);
        var hits = 0;
        foreach (var text in texts)
        {
            var normalized = TextNormalizer.NormalizeWords(text);
            var expected = Reference(normalized, terms);
            Assert.True(expected == lexicon.Match(normalized), $"concepts differ on: {text}");
            hits += expected != 0 ? 1 : 0;
        }

        Assert.True(hits > texts.Count / 2, $"only {hits} of {texts.Count} texts hit a concept");
    }

    private static readonly string[] Proclitics = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل"];

    private static ulong Reference(string normalized, List<(int Concept, string Term)> terms)
    {
        var words = new List<string>();
        var i = 0;
        while (FeatureHasher.NextWord(normalized, ref i, out var start))
        {
            words.Add(normalized[start..i]);
        }

        var found = 0UL;
        foreach (var (concept, term) in terms)
        {
            if (term.Any(c => c is (>= '\u0E00' and <= '\u0EFF') or (>= '\u1000' and <= '\u109F') or (>= '\u1780' and <= '\u17FF')
                or (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')))
            {
                found |= normalized.Contains(term.TrimEnd('*'), StringComparison.Ordinal) && HasUnspaced(normalized) ? 1UL << concept : 0;
                continue;
            }

            var parts = term.Split(' ');
            var prefix = parts[^1].EndsWith('*');
            parts[^1] = parts[^1].TrimEnd('*');
            for (var w = 0; w + parts.Length <= words.Count; w++)
            {
                var all = true;
                for (var k = 0; k < parts.Length && all; k++)
                {
                    var last = k == parts.Length - 1;
                    all = Forms(words[w + k]).Any(f => last && prefix ? f.StartsWith(parts[k], StringComparison.Ordinal) : f == parts[k]);
                }

                if (all)
                {
                    found |= 1UL << concept;
                    break;
                }
            }
        }

        return found;
    }

    private static bool HasUnspaced(string text) => text.Any(c => c is (>= '\u0E00' and <= '\u0EFF') or (>= '\u1000' and <= '\u109F')
        or (>= '\u1780' and <= '\u17FF') or (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF'));

    /// <summary>The word, and for an Arabic-script word of 4+ letters the word without its first matching proclitic (3+ letters left).</summary>
    private static IEnumerable<string> Forms(string word)
    {
        yield return word;
        if (word.Length >= 4 && word[0] is >= '\u0600' and <= '\u06FF')
        {
            var clitic = Proclitics.FirstOrDefault(c => word.StartsWith(c, StringComparison.Ordinal) && word.Length - c.Length >= 3);
            if (clitic is not null)
            {
                yield return word[clitic.Length..];
            }
        }
    }
}
