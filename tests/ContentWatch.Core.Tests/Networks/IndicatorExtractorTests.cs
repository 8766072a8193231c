using System.Diagnostics;
using ContentWatch.Core.Networks;

namespace ContentWatch.Core.Tests.Networks;

public sealed class IndicatorExtractorTests
{
    private static readonly IndicatorExtractor Extractor = new();

    private static List<(string Type, string Value)> Found(string text, IndicatorExtractor? extractor = null) =>
        [.. (extractor ?? Extractor).Extract(text).Select(m => (m.Type, m.Value))];

    [Theory]
    [InlineData("Call +44 7700 900123 today")]
    [InlineData("call 0044.7700.900.123")]
    [InlineData("tel: +44-7700-900-123")]
    [InlineData("رقم +٤٤ ٧٧٠٠ ٩٠٠١٢٣ للتواصل")]
    [InlineData("شماره ۰۰۴۴۷۷۰۰۹۰۰۱۲۳")]
    [InlineData("plus four four seven seven zero zero nine zero zero one two three")]
    [InlineData("Plus 44 seven seven oh oh 900 one two three")]
    [InlineData("(+44) 7700 900 123")]
    public void Phone_WrittenAnyWay_IsOneE164Number(string text)
    {
        Assert.Contains((IndicatorTypes.Phone, "+447700900123"), Found(text));
    }

    [Theory]
    [InlineData("Price 1500 euro, leaving 2026-11-28, 3 places left")]
    [InlineData("order number 12345678901234567890")]
    [InlineData("one of two ways, three times")]
    public void NumbersThatAreNotPhones_AreNotPhones(string text)
    {
        Assert.DoesNotContain(Found(text), f => f.Type == IndicatorTypes.Phone);
    }

    [Fact]
    public void NationalNumber_CountsOnlyWithADefaultRegion_AndOnlyWhenValidThere()
    {
        Assert.Empty(Found("ring 07911 123456"));
        Assert.Contains((IndicatorTypes.Phone, "+447911123456"), Found("ring 07911 123456", new IndicatorExtractor("GB")));
        Assert.Empty(Found("ring 07700 900123", new IndicatorExtractor("GB"))); // the drama range is not a valid UK number
    }

    [Fact]
    public void MessengerLinksAndHandles_AreNormalised()
    {
        var found = Found("""
            Write to https://t.me/Channel_Boss or t.me/joinchat/AbCdEf123 or Telegram: @Second_Boss
            WhatsApp wa.me/447700900123 group https://chat.whatsapp.com/KxYz12AbC
            Signal https://signal.me/#p/+33612345678 Viber viber://chat?number=%2B491512345678 imo.im/Smuggler1
            """);

        Assert.Contains((IndicatorTypes.Telegram, "channel_boss"), found);
        Assert.Contains((IndicatorTypes.Telegram, "t.me/+AbCdEf123"), found);
        Assert.Contains((IndicatorTypes.Telegram, "second_boss"), found);
        Assert.Contains((IndicatorTypes.WhatsApp, "+447700900123"), found);
        Assert.Contains((IndicatorTypes.Phone, "+447700900123"), found);
        Assert.Contains((IndicatorTypes.WhatsApp, "chat.whatsapp.com/KxYz12AbC"), found);
        Assert.Contains((IndicatorTypes.Signal, "+33612345678"), found);
        Assert.Contains((IndicatorTypes.Viber, "+491512345678"), found);
        Assert.Contains((IndicatorTypes.Imo, "imo.im/smuggler1"), found);
        Assert.DoesNotContain(found, f => f.Type is IndicatorTypes.Url or IndicatorTypes.Domain); // messenger links are handles, not sites
    }

    [Fact]
    public void PhoneAfterAMessengerName_IsAlsoThatMessengersContact()
    {
        var found = Found("Contact WhatsApp +33 7 55 12 34 56");

        Assert.Contains((IndicatorTypes.Phone, "+33755123456"), found);
        Assert.Contains((IndicatorTypes.WhatsApp, "+33755123456"), found);
    }

    [Fact]
    public void AtHandle_WithoutATelegramWord_IsNotATelegramHandle()
    {
        Assert.Empty(Found("follow @someone for updates"));
    }

    [Fact]
    public void UrlsEmailsAndDomains_AreFound_WithTheRegisteredDomain()
    {
        var found = Found("See https://Shop.Example.co.uk/visa?id=7. or www.fake-jobs.com/apply, mail Boss.Man@Agency.example.org, visit travel-docs.net");

        Assert.Contains((IndicatorTypes.Url, "https://shop.example.co.uk/visa?id=7"), found);
        Assert.Contains((IndicatorTypes.Domain, "example.co.uk"), found);
        Assert.Contains((IndicatorTypes.Url, "http://www.fake-jobs.com/apply"), found);
        Assert.Contains((IndicatorTypes.Domain, "fake-jobs.com"), found);
        Assert.Contains((IndicatorTypes.Email, "boss.man@agency.example.org"), found);
        Assert.Contains((IndicatorTypes.Domain, "travel-docs.net"), found);
        Assert.DoesNotContain(found, f => f.Value.Contains("agency.example.org", StringComparison.Ordinal) && f.Type != IndicatorTypes.Email);
    }

    [Theory]
    [InlineData("arrive at work.Today we go")]
    [InlineData("see the file report.txt")]
    [InlineData("e.g. this, i.e. that")]
    public void ProseWithDots_IsNotADomain(string text)
    {
        Assert.DoesNotContain(Found(text), f => f.Type is IndicatorTypes.Domain or IndicatorTypes.Url);
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]
    [InlineData("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")]
    [InlineData("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297")]
    [InlineData("0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe", "0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae")]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")]
    public void Wallets_WithAValidChecksum_AreFound(string address, string value)
    {
        Assert.Contains((IndicatorTypes.Wallet, value), Found($"pay to {address} before departure"));
    }

    [Theory]
    [InlineData("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")]
    [InlineData("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr")]
    [InlineData("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")]
    public void Wallets_WithABrokenChecksum_AreNot(string address)
    {
        Assert.DoesNotContain(Found($"pay to {address}"), f => f.Type == IndicatorTypes.Wallet);
    }

    [Fact]
    public void Ibans_AreCheckedAndCompacted()
    {
        var found = Found("Bank: GB82 WEST 1234 5698 7654 32 and DE89370400440532013000 but not GB82 WEST 1234 5698 7654 33");

        Assert.Contains((IndicatorTypes.Iban, "GB82WEST12345698765432"), found);
        Assert.Contains((IndicatorTypes.Iban, "DE89370400440532013000"), found);
        Assert.Equal(2, found.Count(f => f.Type == IndicatorTypes.Iban));
    }

    [Theory]
    [InlineData(IndicatorTypes.Phone, "+44 7700-900 123", "+447700900123")]
    [InlineData(IndicatorTypes.Phone, "0044 7700 900123", "+447700900123")]
    [InlineData(IndicatorTypes.Telegram, "@Boss_Channel", "boss_channel")]
    [InlineData(IndicatorTypes.Telegram, "https://t.me/Boss_Channel", "boss_channel")]
    [InlineData(IndicatorTypes.WhatsApp, "+44 7700 900123", "+447700900123")]
    [InlineData(IndicatorTypes.Email, "Boss@Example.ORG", "boss@example.org")]
    [InlineData(IndicatorTypes.Domain, "https://www.shop.example.co.uk/x", "example.co.uk")]
    [InlineData(IndicatorTypes.Iban, "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432")]
    [InlineData(IndicatorTypes.Wallet, "not a wallet", null)]
    public void Normalize_ReadsWhatAnOfficerTypes(string type, string value, string? expected)
    {
        Assert.Equal(expected, Extractor.Normalize(type, value));
    }

    [Fact]
    public void TwentyThousandDigits_FindNothing_AndStayBounded()
    {
        var text = new string('7', 20_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();

        var found = Found(text);

        watch.Stop();
        Assert.Empty(found);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 4_000_000, "more than 4 MB allocated for 20,000 digits");
    }

    [Fact]
    public void TenThousandHandles_KeepAtMostTheCap()
    {
        var text = "Telegram " + string.Join(" ", Enumerable.Range(0, 10_000).Select(i => $"t.me/handle{i:00000}"));

        var found = Extractor.Extract(text);

        Assert.Equal(IndicatorExtractor.MaxIndicators, found.Count);
        Assert.All(found, f => Assert.Equal(IndicatorTypes.Telegram, f.Type));
    }

    [Fact]
    public void ManyPhones_AreCappedAtTheCandidateLimit()
    {
        var text = string.Join(", ", Enumerable.Range(0, 5_000).Select(i => $"+44 7700 9{i:00000}"));

        var found = Extractor.Extract(text);

        Assert.Equal(IndicatorExtractor.MaxIndicators, found.Count);
    }
}
