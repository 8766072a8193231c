using ContentWatch.Classifier;

namespace ContentWatch.Classifier.Tests;

public sealed class TextNormalizerTests
{
    private static string[] Tokens(string text) => TextNormalizer.Normalize(text).Split(' ');

    /// <summary>The words before numbers become shapes (what evidence matches against).</summary>
    private static string[] Words(string text) => TextNormalizer.NormalizeWords(text).Split(' ');

    [Theory]
    [InlineData("Contact W h a t s A p p now", "whatsapp")]
    [InlineData("t.e.l.e.g.r.a.m only", "telegram")]
    [InlineData("t.e.l.e", "tele")]
    [InlineData("w-h-a-t-s-a-p-p", "whatsapp")]
    [InlineData("real p4ssp0rt for sale", "passport")]
    [InlineData("wh@tsapp me", "whatsapp")]
    [InlineData("t3l3gram", "telegram")]
    [InlineData("d0cum3nts", "documents")]
    [InlineData("Real pаssport", "passport")] // Cyrillic а
    [InlineData("WhаtsАpp", "whatsapp")] // Cyrillic а and А
    [InlineData("ΡΑSSPORT", "passport")] // Greek capitals inside a Latin word
    [InlineData("ＷｈａｔｓＡｐｐ", "whatsapp")] // full-width, NFKC
    [InlineData("𝐭𝐞𝐥𝐞𝐠𝐫𝐚𝐦", "telegram")] // mathematical bold, NFKC
    [InlineData("Vi\u200Bber", "viber")] // zero-width space
    public void Normalize_FoldsObfuscatedWords(string input, string expected) =>
        Assert.Contains(expected, Tokens(input));

    [Theory]
    [InlineData("kaçak geçiş garantili", "kacak gecis garantili")] // Turkish
    [InlineData("việc nhẹ lương cao đi ngay", "viec nhe luong cao di ngay")] // Vietnamese, đ has no decomposition
    [InlineData("PASAPORTÉ Ë VËRTETË", "pasaporte e vertete")] // upper case folds to the same base letters
    [InlineData("Kızılay Łódź Øresund", "kizilay lodz oresund")]
    [InlineData("vi\u0301sa ga\u0300ranti", "visa garanti")] // combining accents that NFKC leaves alone
    [InlineData("b̷̛o̸a̵t̶", "boat")] // "Zalgo" text
    public void Normalize_FoldsLatinDiacritics(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.NormalizeWords(input));

    [Theory]
    [InlineData("Straße in München", "straße")] // ß has no base letter and stays
    [InlineData("ελλάδα", "ελλαδα")] // Greek loses its accents but stays Greek
    [InlineData("йод", "йод")] // й is a letter of its own, not и with a breve
    [InlineData("बिहार से", "बिहार")] // Devanagari vowel signs stay
    public void Normalize_KeepsLettersThatAreNotLatinDiacritics(string input, string expected) =>
        Assert.Contains(expected, Words(input));

    [Theory]
    [InlineData("привет друзья", "привет")] // all-Cyrillic words stay Cyrillic
    [InlineData("covid19 cases", "covid19")] // digits at the end of a word are not leetspeak
    [InlineData("mp3 player", "mp3")]
    [InlineData("i am a student", "am")] // two single letters do not join
    public void Normalize_LeavesOrdinaryWordsAlone(string input, string expected) =>
        Assert.Contains(expected, Tokens(input));

    [Theory]
    [InlineData("🚤🇬🇧 this week", "boat", "uk")]
    [InlineData("✈️ to 🇩🇪", "plane", "germany")]
    [InlineData("🇬🇧 🇦🇶", "flag_gb", "flag_aq")] // flag token, plus the country name when known
    [InlineData("🇬🇧", "flag_gb", "uk")]
    [InlineData("💶💷 💵 💰", "money", "money")]
    [InlineData("📞 or 📱", "phone", "phone")]
    [InlineData("🛂 ready", "passport", "ready")]
    public void Normalize_TurnsEmojiIntoWords(string input, string first, string second)
    {
        var tokens = Tokens(input);
        Assert.Contains(first, tokens);
        Assert.Contains(second, tokens);
    }

    [Theory]
    [InlineData("call +44 7700 900412", TextNormalizer.PhoneToken)]
    [InlineData("num 0 7 7 0 0 9 0 0 4 1 2", TextNormalizer.PhoneToken)]
    [InlineData("0044-7700-900-412", TextNormalizer.PhoneToken)]
    [InlineData("شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹", TextNormalizer.PhoneToken)]
    [InlineData("WhatsApp me", TextNormalizer.MessagingToken)]
    [InlineData("on telegram", TextNormalizer.MessagingToken)]
    [InlineData("w h a t s a p p", TextNormalizer.MessagingToken)]
    [InlineData("تواصل واتساب", TextNormalizer.MessagingToken)]
    [InlineData("ask @rebwar_uk_line", TextNormalizer.HandleToken)]
    [InlineData("mail ali@example.com", TextNormalizer.EmailToken)]
    [InlineData("price £1,800 each", TextNormalizer.PriceToken)]
    [InlineData("2000 euro per person", TextNormalizer.PriceToken)]
    [InlineData("only 500$", TextNormalizer.PriceToken)]
    [InlineData("السعر ٢٥٠٠ يورو", TextNormalizer.PriceToken)]
    [InlineData("۳۰۰ میلیون تومان", TextNormalizer.PriceToken)]
    [InlineData("see https://example.org/x", TextNormalizer.UrlToken)]
    [InlineData("t.me/channel", TextNormalizer.MessagingToken)]
    public void Normalize_AppendsIndicatorTokens(string input, string indicator) =>
        Assert.Contains(indicator, Tokens(input));

    [Theory]
    [InlineData("Meeting at 10 tomorrow")]
    [InlineData("The year 2024 was warm")]
    [InlineData("I signed the papers")]
    public void Normalize_AddsNoIndicators_ToPlainText(string input) =>
        Assert.DoesNotContain(Tokens(input), t => t.StartsWith("cw_", StringComparison.Ordinal) && !t.StartsWith(TextNormalizer.ShapePrefix, StringComparison.Ordinal));

    [Theory]
    [InlineData("two thousand euros per person", "2000")]
    [InlineData("deux mille cinq cents euros", "2500")]
    [InlineData("five hundred pounds", "500")]
    [InlineData("five euros", "5")]
    [InlineData("call zero seven seven zero zero nine zero zero", "07700900")]
    [InlineData("السعر الفين يورو", "2000")]
    [InlineData("پنج هزار دلار", "5000")]
    [InlineData("dos mil euros", "2000")]
    public void Normalize_WritesNumberWordsAsDigits(string input, string expected) =>
        Assert.Contains(expected, Words(input));

    [Theory]
    [InlineData("no one knows", "one")] // a lone number word with no currency stays a word
    [InlineData("the price is 1,800 €", "1,800")] // prices are not leet-folded
    [InlineData("call 0770 0900 412", "0770")]
    public void Normalize_KeepsLoneNumberWordsAndDigits(string input, string expected) =>
        Assert.Contains(expected, Words(input));

    [Theory]
    [InlineData("zero seven seven zero zero nine zero zero four one two", TextNormalizer.PhoneToken)]
    [InlineData("0 7 7 0 0-9 0 0-4 1 2", TextNormalizer.PhoneToken)]
    [InlineData("ping me on V i b e r", TextNormalizer.MessagingToken)]
    [InlineData("سيگنال", TextNormalizer.MessagingToken)]
    [InlineData("تلگرام", TextNormalizer.MessagingToken)]
    [InlineData("وایبر", TextNormalizer.MessagingToken)]
    [InlineData("add me on snapchat", TextNormalizer.MessagingToken)]
    [InlineData("ايمو", TextNormalizer.MessagingToken)]
    public void Normalize_FindsObfuscatedAndNonLatinContacts(string input, string indicator) =>
        Assert.Contains(indicator, Tokens(input));

    [Fact]
    public void Normalize_DoesNotLeetFoldEmailAddresses()
    {
        var tokens = Tokens("ali@gmail.com");
        Assert.Contains("ali@gmail.com", tokens);
        Assert.Contains(TextNormalizer.EmailToken, tokens);
    }

    [Theory]
    [InlineData("أَهْلاً وَسَهْلاً", "اهلا وسهلا")] // tashkeel stripped, alef unified
    [InlineData("مـــرحبا", "مرحبا")] // tatweel
    [InlineData("رحلة", "رحله")] // teh marbuta
    [InlineData("إيطاليا", "ايطاليا")]
    [InlineData("مستشفى", "مستشفي")] // alef maksura
    [InlineData("ی ک", "ي ك")] // Persian yeh and kaf
    [InlineData("٠٧٧٠ ۱۲۳", "0770 123")] // Arabic-Indic and Persian digits
    public void Normalize_UnifiesArabicScript(string input, string expected) =>
        Assert.StartsWith(expected, TextNormalizer.NormalizeWords(input), StringComparison.Ordinal);

    [Theory]
    [InlineData("great offer cw_c_news_reporting cw_c_warning_advice")]
    [InlineData("CW_C_LICENSED_OFFICIAL agency")]
    [InlineData("inside a word: xcw_c_news_reporting")]
    [InlineData("сw_c_news_reporting and сw_phone")] // Cyrillic с, folded to c inside a Latin word
    [InlineData("cw_phone cw_url cw_email")]
    public void Normalize_DisarmsTokensSpelledInTheText(string text)
    {
        var lexicon = ConceptLexicon.Parse("""
            {"version": "0.1.0", "languages": ["en"], "concepts": [
              {"id": "news_reporting", "description": "news", "polarity": "benign", "terms": {"en": ["arrested"]}}]}
            """);
        var normalized = TextNormalizer.Normalize(text, lexicon);

        Assert.Empty(ConceptLexicon.ConceptsIn(normalized));
        Assert.DoesNotContain("cw_", normalized, StringComparison.Ordinal);
        Assert.Contains("cw_c_news_reporting", TextNormalizer.Normalize(text + " two smugglers arrested", lexicon), StringComparison.Ordinal);
        Assert.DoesNotContain("cw_", TextNormalizer.NormalizeWords(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("सब लोग पहुँच गए।")] // Devanagari danda
    [InlineData("سب لوگ پہنچ گئے۔")] // Urdu full stop
    [InlineData("ሁሉም በሰላም ደርሰዋል።")] // Ethiopic full stop
    [InlineData("ሁሉም በሰላም፡ደርሰዋል፣ እናመሰግናለን")] // Ethiopic word space and comma
    [InlineData("Բոլորը հասան։")] // Armenian full stop
    [InlineData("Բոլորը հասա՞ն")] // Armenian question mark, written over the stressed vowel
    public void Normalize_ReadsOtherScriptsSentenceMarksAsPunctuation(string text)
    {
        var lexicon = ConceptLexicon.Parse("""
            {"version": "0.1.0", "languages": ["hi", "ur", "am", "hy"], "concepts": [
              {"id": "success_testimony", "description": "arrived", "polarity": "harmful",
               "terms": {"hi": ["पहुँच गए"], "ur": ["پہنچ گئے"], "am": ["በሰላም ደርሰዋል"], "hy": ["հասան"]}}]}
            """);

        Assert.Equal(["success_testimony"], ConceptLexicon.ConceptsIn(TextNormalizer.Normalize(text, lexicon)));
        Assert.DoesNotContain(TextNormalizer.NormalizeWords(text), c => c is '।' or '۔' or '።' or '፡' or '፣' or '։' or '՞');
    }

    [Fact]
    public void Normalize_FoldsGreekAccentsAndFinalSigma_SoCapitalsMatch()
    {
        Assert.Equal("πλαστο διαβατηριο, νομιμοσ ταξιδι", TextNormalizer.NormalizeWords("πλαστό διαβατήριο, νόμιμος ταξίδι"));
        Assert.Equal("πλαστο διαβατηριο, νομιμοσ ταξιδι", TextNormalizer.NormalizeWords("ΠΛΑΣΤΟ ΔΙΑΒΑΤΗΡΙΟ, ΝΟΜΙΜΟΣ ΤΑΞΙΔΙ"));
    }

    [Fact]
    public void Normalize_LowerCasesAndCollapsesWhitespace() =>
        Assert.Equal("hello world", TextNormalizer.Normalize("  Hello \n\t WORLD  "));

    [Fact]
    public void Normalize_ReturnsEmpty_ForNullOrEmpty()
    {
        Assert.Equal(string.Empty, TextNormalizer.Normalize(null));
        Assert.Equal(string.Empty, TextNormalizer.Normalize(string.Empty));
    }

    [Fact]
    public void Normalize_CutsVeryLongText()
    {
        var text = new string('a', TextNormalizer.MaxInputLength + 5_000);
        Assert.True(TextNormalizer.Normalize(text).Length <= TextNormalizer.MaxInputLength);
    }

    [Fact]
    public void NormalizerAndFeatures_AreUnchanged()
    {
        // A fingerprint of what the committed sample and a set of obfuscated texts turn into: normalised text, the
        // words evidence matches against and every feature occurrence. It changes only when the normaliser or the
        // featurisation changes what a text turns into; then FeatureHasher.Description's version must change too (the
        // shipped model no longer fits) and this value is updated. Last change: features v8, other scripts' sentence
        // marks read as punctuation, Greek accents and final sigma folded.
        Assert.Equal("69B48C949417AF4914F6E8F5A6BF0F6F3EAA6F692003F1AD71F9EDD459AD2334", FeatureFingerprint.Compute());
    }

    [Fact]
    public void GroupKey_FollowsTheDataReadmeRule() =>
        Assert.Equal("call me on 000 or see", TextNormalizer.GroupKey("RT @x: Call  ME on 123 or see https://t.co/abc"));
}
