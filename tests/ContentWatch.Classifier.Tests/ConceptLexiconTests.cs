using ContentWatch.Classifier;

namespace ContentWatch.Classifier.Tests;

public sealed class ConceptLexiconTests
{
    /// <summary>A small lexicon in the file format: two concepts, three languages.</summary>
    private const string Small = """
        {
          "version": "0.1.0",
          "languages": ["en", "ar", "zh"],
          "concepts": [
            {
              "id": "escrow_payment", "description": "payment held until arrival", "polarity": "harmful",
              "terms": { "en": ["pay on arrival", "guarantor", "insurance off*"], "ar": ["مكتب تأمين", "ضمانة"], "zh": ["到付"] }
            },
            {
              "id": "crossing_route", "description": "irregular crossing", "polarity": "harmful",
              "terms": { "en": ["smuggl*", "game"], "ar": ["تهريب"], "zh": ["偷渡"] }
            }
          ]
        }
        """;

    private static readonly ConceptLexicon Lexicon = ConceptLexicon.Parse(Small);

    private static IReadOnlyList<string> Concepts(string text) => ConceptLexicon.ConceptsIn(TextNormalizer.Normalize(text, Lexicon));

    [Theory]
    [InlineData("Pay on arrival, no risk", "escrow_payment")]
    [InlineData("PAY ON ARRIVAL!!", "escrow_payment")]
    [InlineData("money with the insurance office in Istanbul", "escrow_payment")] // trailing * (office)
    [InlineData("the insurance offices", "escrow_payment")]
    [InlineData("we have our g u a r a n t o r", "escrow_payment")] // spaced letters are folded first
    [InlineData("الفلوس عند مكتب التأمين", "escrow_payment")] // hamza folded; the article is tried off
    [InlineData("بالضمانة", "escrow_payment")] // proclitic بال
    [InlineData("smugglers arrested", "crossing_route")] // prefix
    [InlineData("والتهريب", "crossing_route")]
    [InlineData("今晚偷渡去", "crossing_route")] // substring in unspaced scripts
    [InlineData("货到付款也可以到付", "escrow_payment")]
    public void Normalize_AppendsTheConceptsFound(string text, string concept) =>
        Assert.Contains(concept, Concepts(text));

    [Theory]
    [InlineData("pay on time")] // a multi-word term needs every word
    [InlineData("arrival on pay")]
    [InlineData("insurance")] // the * word is required
    [InlineData("smug")] // shorter than the prefix
    [InlineData("gamers")] // no * on "game": whole word only
    public void Normalize_AddsNoConcept_WhenNoTermMatches(string text) =>
        Assert.Empty(Concepts(text));

    [Fact]
    public void Normalize_WithoutALexicon_AddsNoConceptTokens() =>
        Assert.Empty(ConceptLexicon.ConceptsIn(TextNormalizer.Normalize("pay on arrival, smugglers")));

    [Fact]
    public void Normalize_NamesEachConceptOnce() =>
        Assert.Equal(["escrow_payment", "crossing_route"], Concepts("pay on arrival, guarantor, pay on arrival, smuggling"));

    [Theory]
    [InlineData("\"version\": \"0.1.0\",", "\"version\": \"\",", "\"version\" is required")]
    [InlineData("\"zh\": [\"偷渡\"]", "\"zh\": []", "crossing_route: no terms in zh")]
    [InlineData("\"id\": \"crossing_route\"", "\"id\": \"Crossing Route\"", "lower snake case")]
    [InlineData("\"id\": \"crossing_route\"", "\"id\": \"escrow_payment\"", "used twice")]
    [InlineData("\"smuggl*\"", "\"sm*\"", "at least 3 characters before *")]
    [InlineData("\"smuggl*\"", "\"sm*ggler\"", "not at the end")]
    [InlineData("\"game\"", "\"alpha beta gamma delta epsilon zeta\"", "at most 5")]
    [InlineData("\"game\"", "\"smuggl*\"", "listed twice")]
    [InlineData("\"polarity\": \"harmful\",\n      \"terms\": { \"en\": [\"smuggl*\"", "\"polarity\": \"bad\",\n      \"terms\": { \"en\": [\"smuggl*\"", "polarity")]
    [InlineData("\"ar\": [\"تهريب\"]", "\"ar\": [\"تهريب\"], \"fr\": [\"passeur\"]", "language fr is not in")]
    public void TryParse_NamesEveryProblem(string find, string replace, string expected)
    {
        var json = Small.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(find, json, StringComparison.Ordinal);
        var (lexicon, errors) = ConceptLexicon.TryParse(json.Replace(find, replace, StringComparison.Ordinal));
        Assert.Null(lexicon);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_AllowsTermsThatNormaliseAlike_OnlyWhenAsked()
    {
        // A model's own lexicon was checked when it was trained; a later normaliser may fold two of its terms together.
        var json = Small.Replace("\"game\"", "\"game\", \"GAME\"", StringComparison.Ordinal);

        Assert.Contains(ConceptLexicon.TryParse(json).Errors, e => e.Contains("listed twice", StringComparison.Ordinal));
        var lexicon = ConceptLexicon.Parse(json, allowDuplicates: true);
        Assert.Equal(["crossing_route"], ConceptLexicon.ConceptsIn(TextNormalizer.Normalize("the game", lexicon)));
    }

    [Fact]
    public void TryParse_RejectsWhatIsNotJson()
    {
        var (lexicon, errors) = ConceptLexicon.TryParse("{ not json");
        Assert.Null(lexicon);
        Assert.Contains("not valid lexicon JSON", Assert.Single(errors), StringComparison.Ordinal);
    }
}
