namespace ContentWatch.Classifier.Tests;

public sealed class LanguageIdentifierTests
{
    private static readonly LanguageIdentifier Identifier = new();

    [Theory]
    [InlineData("Traversée vers l'Angleterre cette semaine, places limitées, contactez-nous", "fr")]
    [InlineData("رحلات الى ايطاليا من ليبيا هذا الاسبوع تواصل معنا", "ar")]
    [InlineData("سفر به اروپا از طریق ترکیه با ضمانت کامل، پول را پیش صراف می‌گذارید و بعد از رسیدن پرداخت می‌کنید", "fa")]
    [InlineData("Avrupa'ya garantili geçiş, yat ile İtalya, detaylar için yazın", "tr")]
    [InlineData("Chuyến đi Anh tuần này, đảm bảo an toàn, liên hệ ngay", "vi")]
    [InlineData("Pasaporta dhe leje qëndrimi për shitje, dërgesë e shpejtë", "sq")]
    [InlineData("Passports and residence permits for sale, fast delivery", "en")]
    public void Identify_NamesTheLanguage(string text, string expected) =>
        Assert.Equal(expected, Identifier.Identify(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+44 7700 900412 🚤🇬🇧")]
    [InlineData("ok")]
    public void Identify_GivesNull_WhenThereIsNothingToRead(string? text) =>
        Assert.Null(Identifier.Identify(text));

    [Fact]
    public void Identify_ReadsABoundedPrefixOfLongText() =>
        Assert.Equal("en", Identifier.Identify(string.Concat(Enumerable.Repeat("the boat leaves on thursday from the beach ", 5_000))));
}
