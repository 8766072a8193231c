using System.Text.Json;
using ContentWatch.Core.Intake;

namespace ContentWatch.Core.Tests;

public sealed class ReportParserTests
{
    private static (IReadOnlyList<ReportInput> Reports, IReadOnlyList<FieldError> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReportParser.ParseBody(document.RootElement.Clone());
    }

    [Fact]
    public void Full_report_is_read_with_every_field()
    {
        var (reports, errors) = Parse("""
            {"platform":"Facebook","url":"https://fb.example/p/1","text":"t","kind":"job_ad","externalId":"e1","title":"T",
             "language":"ar","author":"A","postedAt":"2026-11-01T10:00:00+02:00",
             "reporter":{"name":"N","email":"n@ngo.example.org","organisation":"O"}}
            """);
        Assert.Empty(errors);
        var r = Assert.Single(reports);
        Assert.Equal("facebook", r.Platform);
        Assert.Equal("job_ad", r.Kind);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), r.PostedAt);
        Assert.Equal(new Reporter("N", "n@ngo.example.org", "O"), r.Reporter);
    }

    [Fact]
    public void Kind_defaults_to_post()
    {
        var (reports, _) = Parse("""{"platform":"x","url":"http://x.example/","text":"t"}""");
        Assert.Equal("post", reports[0].Kind);
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_array_index()
    {
        var (reports, errors) = Parse("""[{"platform":"x","url":"https://x.example/","text":"t"},{"url":"mailto:a@b.c","text":5,"kind":"x"}]""");
        Assert.Equal(["[1].platform", "[1].url", "[1].text", "[1].kind"], errors.Select(e => e.Field));
        Assert.Single(reports);
    }

    [Theory]
    [InlineData("https://x.example/a b")]
    [InlineData("https:///nohost")]
    [InlineData("data:text/html,hi")]
    [InlineData("x.example/p")]
    public void Url_must_be_absolute_http(string url) => Assert.False(ReportParser.IsWebUrl(url));

    [Fact]
    public void Text_at_the_limit_is_taken_and_one_more_character_is_refused()
    {
        var ok = Parse(JsonSerializer.Serialize(new { platform = "x", url = "https://x.example/", text = new string('a', 20_000) }));
        var tooLong = Parse(JsonSerializer.Serialize(new { platform = "x", url = "https://x.example/", text = new string('a', 20_001) }));
        Assert.Empty(ok.Errors);
        Assert.Equal("text", Assert.Single(tooLong.Errors).Field);
    }
}

public sealed class DuplicateKeysTests
{
    [Theory]
    [InlineData("https://FB.example/p/1", "https://fb.example/p/1/")]
    [InlineData("https://fb.example/p/1#comments", "https://fb.example:443/p/1")]
    public void Url_variants_share_a_key(string a, string b) => Assert.Equal(DuplicateKeys.UrlKey(a), DuplicateKeys.UrlKey(b));

    [Fact]
    public void Query_strings_and_schemes_keep_urls_apart()
    {
        Assert.NotEqual(DuplicateKeys.UrlKey("https://x.example/p?id=1"), DuplicateKeys.UrlKey("https://x.example/p?id=2"));
        Assert.NotEqual(DuplicateKeys.UrlKey("http://x.example/p"), DuplicateKeys.UrlKey("https://x.example/p"));
    }

    [Fact]
    public void Text_key_ignores_case_width_and_whitespace_but_not_words()
    {
        Assert.Equal(DuplicateKeys.TextKey("Boat  to UK\n today"), DuplicateKeys.TextKey(" boat to ＵＫ today "));
        Assert.NotEqual(DuplicateKeys.TextKey("boat to UK today"), DuplicateKeys.TextKey("boat to UK tomorrow"));
    }
}

public sealed class HostileFieldTests
{
    private static IReadOnlyList<FieldError> Errors(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return ReportParser.ParseBody(document.RootElement).Errors;
    }

    [Theory]
    [InlineData(@"https://x.example/a\u0000b")]
    [InlineData(@"https://x.example/\u202egpj.exe")]
    [InlineData(@"https://x.example/\u2067p")]
    [InlineData(@"https://x.exa\u200bmple/p")]
    [InlineData(@"https://x.example/p\u007f")]
    [InlineData("https://user:pass@x.example/p")]
    [InlineData("https://user@x.example/p")]
    public void Url_with_control_bidi_or_invisible_characters_or_credentials_is_refused(string url) =>
        Assert.Equal("url", Assert.Single(Errors($$"""{"platform":"x","url":"{{url}}","text":"t"}""")).Field);

    [Theory]
    [InlineData(@"\u200b")]
    [InlineData(@"\u200c\u200d\u2060")]
    [InlineData(@" \ufeff ")]
    [InlineData(@"\u00ad\u3164")]
    public void Text_made_only_of_invisible_characters_is_refused(string text) =>
        Assert.Equal("text", Assert.Single(Errors($$"""{"platform":"x","url":"https://x.example/","text":"{{text}}"}""")).Field);

    [Fact]
    public void Text_with_a_zero_width_joiner_among_letters_is_kept()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"platform":"x","url":"https://x.example/","text":"👨\u200d👩 family"}""");
        var (report, errors) = ReportParser.Parse(document.RootElement);
        Assert.Empty(errors);
        Assert.Equal("👨\u200d👩 family", report!.Text);
    }
}
