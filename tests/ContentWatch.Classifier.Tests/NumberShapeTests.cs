using ContentWatch.Classifier;

namespace ContentWatch.Classifier.Tests;

public sealed class NumberShapeTests
{
    private static string[] Tokens(string text) => TextNormalizer.Normalize(text).Split(' ');

    [Theory]
    [InlineData("boat 1500€ per person", TextNormalizer.PriceShape)]
    [InlineData("price €1,500 only", TextNormalizer.PriceShape)]
    [InlineData("only 1.500 euro", TextNormalizer.PriceShape)]
    [InlineData("£4,000 per head", TextNormalizer.PriceShape)]
    [InlineData("5 bin lira", TextNormalizer.PriceShape)]
    [InlineData("50 هزار تومان", TextNormalizer.PriceShape)]
    [InlineData("۲۰۰۰ دلار", TextNormalizer.PriceShape)]
    [InlineData("salary 2500$ per month", TextNormalizer.SalaryShape)]
    [InlineData("earn 900 usd/month", TextNormalizer.SalaryShape)]
    [InlineData("100% guaranteed", TextNormalizer.PercentShape)]
    [InlineData("Toyota 2009 for sale", TextNormalizer.YearShape)]
    [InlineData("150000 km, good tyres", TextNormalizer.DistanceShape)]
    [InlineData("only 150000km", TextNormalizer.DistanceShape)]
    [InlineData("leaving at 22:30", TextNormalizer.TimeShape)]
    [InlineData("departure 12/05", TextNormalizer.DateShape)]
    [InlineData("on 05.12.2026 from the port", TextNormalizer.DateShape)]
    [InlineData("age 18-35 only", TextNormalizer.RangeShape)]
    [InlineData("call +44 7700 900412", TextNormalizer.PhoneShape)]
    [InlineData("19k all in", TextNormalizer.ThousandsShape)]
    public void Normalize_TurnsNumbersIntoShapes(string input, string shape) =>
        Assert.Contains(shape, Tokens(input));

    [Theory]
    [InlineData("Selling my Toyota 2009, 2000 euro, 150000 km, WhatsApp +33 6 12 34 56 78", "2009", "2000", "150000", "33")]
    [InlineData("call +44 7700 900412 today", "7700", "900412", "44", "today")]
    [InlineData("flat 3 rooms 850 per month 1.500.000", "850", "1", "500", "3")]
    public void Normalize_LeavesNoLiteralNumber(string input, params string[] absent)
    {
        var words = Tokens(input).Where(t => !t.StartsWith("cw_", StringComparison.Ordinal)).ToList();
        foreach (var literal in absent.Where(a => a.All(char.IsDigit)))
        {
            Assert.DoesNotContain(words, w => w.Contains(literal, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Normalize_ShapesAPhoneNumberOnce() =>
        Assert.Single(Tokens("call +44 7700 900 412"), t => t == TextNormalizer.PhoneShape);

    [Theory]
    [InlineData("mp3 player", "mp3")]
    [InlineData("h2a visa", "h2a")]
    [InlineData("covid19 cases", "covid19")]
    [InlineData("write to fakedocs1@example.com", "fakedocs1@example.com")]
    public void Normalize_LeavesWordsWithDigitsAlone(string input, string expected) =>
        Assert.Contains(expected, Tokens(input));

    [Theory]
    [InlineData("1", "cw_n_1")]
    [InlineData("42", "cw_n_2")]
    [InlineData("350", "cw_n_3")]
    [InlineData("1800", "cw_n_4")]
    [InlineData("1,800", "cw_n_4")]
    [InlineData("12500", "cw_n_5")]
    [InlineData("2.5", "cw_n_1")]
    [InlineData("300000", "cw_n_6")]
    public void Normalize_GivesOtherNumbersTheirDigitCount(string number, string shape) =>
        Assert.Contains(shape, Tokens("got " + number + " of them"));
}
