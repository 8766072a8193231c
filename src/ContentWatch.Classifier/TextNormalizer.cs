using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentWatch.Classifier;

/// <summary>
/// Folds the tricks that adverts use to dodge keyword filters into one plain form, so the model sees
/// "whatsapp" whether the post wrote "W h a t s A p p", "wh4tsapp", "WhаtsApp" (Cyrillic а) or 📱.
/// Output is lower-case, NFKC, with indicator tokens (<see cref="PhoneToken"/>, …) appended at the end.
/// Pure and thread-safe; one pass over the characters, one over the tokens, a few source-generated regexes.
/// </summary>
public static partial class TextNormalizer
{
    /// <summary>Texts longer than this are cut before normalising (the batch contract bounds input to 20,000 chars).</summary>
    public const int MaxInputLength = 20_000;

    public const string PhoneToken = "cw_phone";
    public const string MessagingToken = "cw_msgapp";
    public const string HandleToken = "cw_handle";
    public const string PriceToken = "cw_price";
    public const string UrlToken = "cw_url";
    public const string EmailToken = "cw_email";

    /// <summary>
    /// Normalises <paramref name="text"/>; null or empty gives an empty string. Numbers become shapes
    /// (<see cref="ShapePrefix"/>); indicator tokens, then the <paramref name="lexicon"/>'s concept tokens, are appended.
    /// </summary>
    public static string Normalize(string? text, ConceptLexicon? lexicon = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length > MaxInputLength)
        {
            text = text[..MaxInputLength];
        }

        text = ReplaceLoneSurrogates(text);
        if (!text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        var characters = new CharBuffer(text.Length + 16);
        var tokens = new CharBuffer(text.Length + 64);
        try
        {
            FoldCharacters(text, ref characters, out var digitCount);
            FoldTokens(characters.Written, ref tokens);
            DisarmTokens(tokens.WrittenFrom(0));
            if (digitCount < 7)
            {
                digitCount = CountDigits(tokens.Written);
            }

            var concepts = lexicon?.Match(tokens.Written) ?? 0;
            var indicators = FindIndicators(tokens.Written, digitCount);

            // The characters buffer is free again: the shaped text goes there.
            characters.Length = 0;
            ShapeNumbers(tokens.Written, ref characters, digitCount);
            AppendIndicators(ref characters, indicators);
            if (concepts != 0)
            {
                for (var c = 0; c < lexicon!.Tokens.Count; c++)
                {
                    AppendToken(ref characters, (concepts & (1UL << c)) != 0, lexicon.Tokens[c]);
                }
            }

            return new string(characters.Written);
        }
        finally
        {
            characters.Dispose();
            tokens.Dispose();
        }
    }

    /// <summary>Normalises without appending indicator tokens (used to match evidence back to the original text).</summary>
    internal static string NormalizeWords(string text)
    {
        text = ReplaceLoneSurrogates(text);
        if (!text.IsNormalized(NormalizationForm.FormKC))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        var characters = new CharBuffer(text.Length + 16);
        var tokens = new CharBuffer(text.Length + 16);
        try
        {
            FoldCharacters(text, ref characters, out _);
            FoldTokens(characters.Written, ref tokens);
            DisarmTokens(tokens.WrittenFrom(0));
            return new string(tokens.Written);
        }
        finally
        {
            characters.Dispose();
            tokens.Dispose();
        }
    }

    /// <summary>
    /// Reported text that spells one of the normaliser's own tokens (<c>cw_c_news_reporting</c>, <c>cw_phone</c>; the
    /// README names them) would read as that token, as a feature and in the evidence. Every <c>cw_</c> in the folded text
    /// becomes <c>cwx</c> before the real tokens are added, so only the normaliser emits them. No training text has
    /// <c>cw_</c>, so no model reads any training text differently.
    /// </summary>
    private static void DisarmTokens(Span<char> text)
    {
        var at = text.IndexOf("cw_");
        while (at >= 0)
        {
            text[at + 2] = 'x';
            var next = text[(at + 3)..].IndexOf("cw_");
            at = next < 0 ? -1 : at + 3 + next;
        }
    }

    /// <summary>A high or low surrogate without its pair (invalid UTF-16, which NFKC rejects) becomes U+FFFD.</summary>
    internal static string ReplaceLoneSurrogates(string text)
    {
        char[]? chars = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            chars ??= text.ToCharArray();
            chars[i] = '\uFFFD';
        }

        return chars is null ? text : new string(chars);
    }

    // ---- pass 1: characters -------------------------------------------------------------------

    private static void FoldCharacters(string text, ref CharBuffer sb, out int digitCount)
    {
        digitCount = 0;
        var lastWasSpace = true;

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[i + 1]);
                i++;
                if (IsRegionalIndicator(cp) && i + 2 < text.Length && char.IsHighSurrogate(text[i + 1])
                    && char.IsLowSurrogate(text[i + 2]))
                {
                    var cp2 = char.ConvertToUtf32(text[i + 1], text[i + 2]);
                    if (IsRegionalIndicator(cp2))
                    {
                        i += 2;
                        AppendWord(ref sb, FlagWord(cp, cp2), ref lastWasSpace);
                        continue;
                    }
                }

                if (Emoji.TryGetValue(cp, out var word))
                {
                    AppendWord(ref sb, word, ref lastWasSpace);
                }
                else
                {
                    sb.Append(c);
                    sb.Append(text[i]);
                    lastWasSpace = false;
                }

                continue;
            }

            if (c < 128)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    c = (char)(c + 32);
                }
                else if (c is >= '0' and <= '9')
                {
                    digitCount++;
                }
                else if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
                {
                    if (!lastWasSpace)
                    {
                        sb.Append(' ');
                        lastWasSpace = true;
                    }

                    continue;
                }

                sb.Append(c);
                lastWasSpace = false;
                continue;
            }

            // Arabic script: drop tashkeel and tatweel, unify letter forms, Arabic-Indic and Persian digits to ASCII.
            if (c is >= '\u0600' and <= '\u06FF')
            {
                if (c is (>= '\u064B' and <= '\u065F') or '\u0670' or '\u0640' or (>= '\u06D6' and <= '\u06ED'))
                {
                    continue;
                }

                if (c is >= '\u0660' and <= '\u0669')
                {
                    c = (char)('0' + (c - '\u0660'));
                    digitCount++;
                }
                else if (c is >= '\u06F0' and <= '\u06F9')
                {
                    c = (char)('0' + (c - '\u06F0'));
                    digitCount++;
                }
                else
                {
                    c = c switch
                    {
                        'أ' or 'إ' or 'آ' or 'ٱ' => 'ا',
                        'ى' or 'ی' or 'ئ' or 'ې' or 'ۍ' => 'ي',
                        'ؤ' => 'و',
                        'ة' or 'ۀ' or 'ھ' or 'ہ' => 'ه',
                        'ک' => 'ك',
                        '،' => ',',
                        '؛' => ';',
                        '؟' => '?',
                        '۔' => '.',
                        '٪' => '%',
                        _ => c,
                    };
                }

                sb.Append(c);
                lastWasSpace = false;
                continue;
            }

            // Invisible characters used to split words: zero-width space/joiners, soft hyphen, BOM, variation selectors.
            if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or (>= '\uFE00' and <= '\uFE0F'))
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    sb.Append(' ');
                    lastWasSpace = true;
                }

                continue;
            }

            // Sentence marks of other scripts are punctuation, so a sentence-final word matches like any other.
            if (OtherScriptMark(c) is var mark and not '\uFFFF')
            {
                if (mark == ' ')
                {
                    if (!lastWasSpace)
                    {
                        sb.Append(' ');
                        lastWasSpace = true;
                    }
                }
                else if (mark != '\0')
                {
                    sb.Append(mark);
                    lastWasSpace = false;
                }

                continue;
            }

            if (c >= MinBmpEmoji && c <= MaxBmpEmoji && Emoji.TryGetValue(c, out var bmpWord))
            {
                AppendWord(ref sb, bmpWord, ref lastWasSpace);
                continue;
            }

            // Latin letters with diacritics fold to their base letter (é → e, ş → s, ệ → e, đ → d) and combining
            // diacritics left after NFKC (also "Zalgo" text) are dropped: writers add and drop accents at will.
            if (c is >= '\u0300' and <= '\u036F')
            {
                continue;
            }

            if (c is >= LatinBaseFirst and <= LatinBaseLast)
            {
                c = LatinBaseTable[c - LatinBaseFirst];
            }

            // Greek loses its accents and final sigma, as capitals and much online Greek are written: "ΠΛΑΣΤΟΣ" and
            // "πλαστός" both become "πλαστοσ".
            c = char.ToLowerInvariant(c);
            sb.Append(c is '\u0390' or (>= '\u03AC' and <= '\u03CE') ? GreekBase(c) : c);
            lastWasSpace = false;
        }
    }

    private static char GreekBase(char c) => c switch
    {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' or 'ϊ' or 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' or 'ϋ' or 'ΰ' => 'υ',
        'ώ' => 'ω',
        'ς' => 'σ',
        _ => c,
    };

    /// <summary>
    /// The ASCII punctuation for a sentence or clause mark of a script that has its own (danda, Ethiopic, Armenian,
    /// Myanmar, Khmer, CJK full stops and commas), ' ' for the Ethiopic word space, '\0' for the Armenian marks
    /// written inside a word (emphasis, exclamation, question), '\uFFFF' for every other character.
    /// </summary>
    private static char OtherScriptMark(char c) => c switch
    {
        '\u0964' or '\u0965' or '\u1362' or '\u1368' or '\u0589' or '\u104B' or '\u17D4' or '\u17D5' or '\u3002' => '.',
        '\u1363' or '\u055D' or '\u104A' or '\u3001' => ',',
        '\u1364' => ';',
        '\u1365' or '\u1366' => ':',
        '\u1367' => '?',
        '\u1361' => ' ',
        '\u055B' or '\u055C' or '\u055E' => '\0',
        _ => '\uFFFF',
    };

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += c is >= '0' and <= '9' ? 1 : 0;
        }

        return count;
    }

    private static void AppendWord(ref CharBuffer sb, string word, ref bool lastWasSpace)
    {
        if (!lastWasSpace)
        {
            sb.Append(' ');
        }

        sb.Append(word);
        sb.Append(' ');
        lastWasSpace = true;
    }

    private static bool IsRegionalIndicator(int cp) => cp is >= 0x1F1E6 and <= 0x1F1FF;

    private static string FlagWord(int a, int b)
    {
        Span<char> code = [(char)('a' + (a - 0x1F1E6)), (char)('a' + (b - 0x1F1E6))];
        var key = new string(code);
        return Flags.TryGetValue(key, out var name) ? $"flag_{key} {name}" : "flag_" + key;
    }

    // ---- pass 2: tokens ------------------------------------------------------------------------

    private static void FoldTokens(ReadOnlySpan<char> text, ref CharBuffer sb)
    {
        // The tokens are the runs of characters between spaces (pass 1 leaves no other whitespace).
        var ranges = ArrayPool<Range>.Shared.Rent(text.Length / 2 + 1);
        try
        {
            var count = 0;
            foreach (var range in text.Split(' '))
            {
                if (range.End.Value > range.Start.Value)
                {
                    ranges[count++] = range;
                }
            }

            FoldTokens(text, ranges.AsSpan(0, count), ref sb);
        }
        finally
        {
            ArrayPool<Range>.Shared.Return(ranges);
        }
    }

    private static void FoldTokens(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens, ref CharBuffer sb)
    {
        var i = 0;
        while (i < tokens.Length)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            // "w h a t s a p p": three or more single letters in a row join into one word.
            if (IsSingleLetter(text[tokens[i]]))
            {
                var j = i;
                while (j < tokens.Length && IsSingleLetter(text[tokens[j]]))
                {
                    j++;
                }

                if (j - i >= 3)
                {
                    for (var k = i; k < j; k++)
                    {
                        FoldToken(text[tokens[k]], ref sb);
                    }

                    i = j;
                    continue;
                }
            }

            // "two thousand", "zero seven seven", "deux mille", "الفين": number words to digits.
            if (IsNumberWord(text[tokens[i]]))
            {
                var j = i;
                while (j < tokens.Length && IsNumberWord(text[tokens[j]]))
                {
                    j++;
                }

                if (j - i >= 2 || (j < tokens.Length && CurrencyWords.Contains(text[tokens[j]])))
                {
                    AppendNumber(ref sb, text, tokens[i..j]);
                    i = j;
                    continue;
                }
            }

            FoldToken(text[tokens[i]], ref sb);
            i++;
        }
    }

    private static bool IsNumberWord(ReadOnlySpan<char> token) =>
        token.Length <= MaxNumberWordLength && NumberWordsBySpan.ContainsKey(token);

    /// <summary>
    /// A run of number words: all single digits ("zero seven seven …", a phone number) become one digit string;
    /// otherwise the value is composed ("two thousand five hundred" → 2500).
    /// </summary>
    private static void AppendNumber(ref CharBuffer sb, ReadOnlySpan<char> text, ReadOnlySpan<Range> words)
    {
        var allDigits = true;
        foreach (var w in words)
        {
            allDigits &= NumberWordsBySpan[text[w]] < 10;
        }

        if (allDigits && words.Length >= 3)
        {
            foreach (var w in words)
            {
                sb.Append((char)('0' + NumberWordsBySpan[text[w]]));
            }

            return;
        }

        long total = 0, current = 0;
        foreach (var w in words)
        {
            var v = NumberWordsBySpan[text[w]];
            if (v >= 1000)
            {
                total += Math.Max(current, 1) * v;
                current = 0;
            }
            else if (v == 100)
            {
                current = Math.Max(current, 1) * 100;
            }
            else
            {
                current += v;
            }
        }

        Span<char> digits = stackalloc char[20];
        (total + current).TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        sb.Append(digits[..written]);
    }

    private static bool IsSingleLetter(ReadOnlySpan<char> token) => token.Length == 1 && char.IsLetter(token[0]);

    /// <summary>Appends <paramref name="token"/> with look-alike letters, dotted letters and leetspeak folded.</summary>
    private static void FoldToken(ReadOnlySpan<char> token, ref CharBuffer sb)
    {
        var hasLatin = false;
        var hasLookalike = false;
        var hasLeet = false;
        var hasSeparator = false;
        foreach (var c in token)
        {
            if (c is >= 'a' and <= 'z')
            {
                hasLatin = true;
            }
            else if (c is >= '0' and <= '9' or '@' or '$')
            {
                hasLeet = true;
            }
            else if (c is '.' or '-' or '_' or '*' or '·')
            {
                hasSeparator = true;
            }
            else if (LookalikeOf(c) != 0)
            {
                hasLookalike = true;
            }
        }

        var foldLookalikes = hasLatin && hasLookalike;
        var foldLeet = (hasLatin || hasLookalike) && hasLeet;
        if (!foldLookalikes && !hasSeparator && !foldLeet)
        {
            sb.Append(token);
            return;
        }

        // Folded in place, in the output buffer.
        var start = sb.Length;
        sb.Append(token);
        var folded = sb.WrittenFrom(start);
        if (foldLookalikes)
        {
            for (var k = 0; k < folded.Length; k++)
            {
                var latin = LookalikeOf(folded[k]);
                if (latin != 0)
                {
                    folded[k] = latin;
                }
            }
        }

        if (hasSeparator && IsDottedLetters(folded))
        {
            // Keeps the letters only ("t.e.l.e" → "tele").
            var kept = 0;
            for (var k = 0; k < folded.Length; k++)
            {
                if (char.IsLetter(folded[k]))
                {
                    folded[kept++] = folded[k];
                }
            }

            sb.Length = start + kept;
            return;
        }

        if (foldLeet && !LooksLikeEmail(folded))
        {
            FoldLeet(folded);
        }
    }

    /// <summary>The Latin letter that <paramref name="c"/> looks like, or 0.</summary>
    private static char LookalikeOf(char c) => c < LookalikeTable.Length ? LookalikeTable[c] : '\0';

    /// <summary>"t.e.l.e", "w-h-a-t-s": letters separated by one punctuation mark each, at least two letters.</summary>
    private static bool IsDottedLetters(ReadOnlySpan<char> token)
    {
        var core = token.TrimEnd('.');
        if (core.Length < 3 || core.Length % 2 == 0)
        {
            return false;
        }

        var sep = core[1];
        if (sep is not ('.' or '-' or '_' or '*' or '·'))
        {
            return false;
        }

        for (var k = 0; k < core.Length; k++)
        {
            if (k % 2 == 0 ? !char.IsLetter(core[k]) : core[k] != sep)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Maps 0 1 3 4 5 7 @ $ to letters where a run of them sits between two letters ("p4ssp0rt", "wh@tsapp").</summary>
    /// <remarks>In place: a run's neighbours are not leet characters, so folding one run never changes how the next is read.</remarks>
    private static void FoldLeet(Span<char> token)
    {
        var k = 0;
        while (k < token.Length)
        {
            if (!IsLeet(token[k]))
            {
                k++;
                continue;
            }

            var start = k;
            while (k < token.Length && IsLeet(token[k]))
            {
                k++;
            }

            var letterBefore = start > 0 && char.IsLetter(token[start - 1]);
            var letterAfter = k < token.Length && char.IsLetter(token[k]);
            if (letterBefore && letterAfter && k - start <= 3)
            {
                for (var m = start; m < k; m++)
                {
                    token[m] = LeetLetter(token[m]);
                }
            }
        }
    }

    private static bool LooksLikeEmail(ReadOnlySpan<char> token)
    {
        var at = token.IndexOf('@');
        return at > 0 && token[at..].Contains('.');
    }

    private static bool IsLeet(char c) => c is '0' or '1' or '3' or '4' or '5' or '7' or '@' or '$';

    private static char LeetLetter(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' => 't',
        _ => c,
    };

    // ---- pass 3: indicators --------------------------------------------------------------------

    [Flags]
    private enum Found
    {
        None = 0,
        Phone = 1,
        Messaging = 2,
        Email = 4,
        Handle = 8,
        Price = 16,
        Url = 32,
    }

    private static Found FindIndicators(ReadOnlySpan<char> text, int digitCount)
    {
        var hasAt = text.Contains('@');
        var email = hasAt && EmailRegex().IsMatch(text);
        return (digitCount >= 7 && PhoneRegex().IsMatch(text) ? Found.Phone : 0)
            | (MessagingRegex().IsMatch(text) ? Found.Messaging : 0)
            | (email ? Found.Email : 0)
            | (!email && hasAt && HandleRegex().IsMatch(text) ? Found.Handle : 0)
            | (digitCount > 0 && PriceRegex().IsMatch(text) ? Found.Price : 0)
            | (MayHaveUrl(text) && UrlRegex().IsMatch(text) ? Found.Url : 0);
    }

    private static void AppendIndicators(ref CharBuffer sb, Found found)
    {
        AppendToken(ref sb, found.HasFlag(Found.Phone), PhoneToken);
        AppendToken(ref sb, found.HasFlag(Found.Messaging), MessagingToken);
        AppendToken(ref sb, found.HasFlag(Found.Email), EmailToken);
        AppendToken(ref sb, found.HasFlag(Found.Handle), HandleToken);
        AppendToken(ref sb, found.HasFlag(Found.Price), PriceToken);
        AppendToken(ref sb, found.HasFlag(Found.Url), UrlToken);
    }

    private static void AppendToken(ref CharBuffer sb, bool found, string token)
    {
        if (found)
        {
            sb.Append(' ');
            sb.Append(token);
        }
    }

    /// <summary>False when <see cref="UrlRegex"/> cannot match: it needs "://", "www." or a dot followed by a letter.</summary>
    private static bool MayHaveUrl(ReadOnlySpan<char> text)
    {
        if (text.Contains("://", StringComparison.Ordinal) || text.Contains("www.", StringComparison.Ordinal))
        {
            return true;
        }

        var rest = text;
        for (var dot = rest.IndexOf('.'); dot >= 0; dot = rest.IndexOf('.'))
        {
            if (dot + 1 < rest.Length && rest[dot + 1] is >= 'a' and <= 'z')
            {
                return true;
            }

            rest = rest[(dot + 1)..];
        }

        return false;
    }

    // At least 7 digits, optionally separated by spaces, dots, dashes or brackets, optionally led by + or 00.
    [GeneratedRegex(@"(?<![\w])(?:\+|00)?\(?\d(?:[\s\-\.\(\)/]{0,2}\d){6,14}(?![\w])", RegexOptions.CultureInvariant)]
    internal static partial Regex PhoneRegex();

    [GeneratedRegex(@"whats\s?app|watsapp|watsap|whatsap|whatapp|wa\.me|telegram|telegrm|\bt\.me\b|\btg\b|viber|\bsignal\b|\bimo\b|\bwickr\b|messenger|واتس|وتساب|تلغرام|تلجرام|تليجرام|تيليجرام|تلگرام|ﺗﻠﮕﺮام|فايبر|وايبر|ايمو|سيجنال|سيگنال|snapchat|\bsnap\b|سناب|اسنپ", RegexOptions.CultureInvariant)]
    internal static partial Regex MessagingRegex();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+\.[a-z]{2,}", RegexOptions.CultureInvariant)]
    internal static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\w])@[\w.]{3,}", RegexOptions.CultureInvariant)]
    internal static partial Regex HandleRegex();

    [GeneratedRegex(@"[€£$₺﷼]\s?\d(?:[\d.,]*\d)?|\d[\d.,]*\s?(?:(?:k|m|mln|million|millions|mil|bin|ميليون|مليون|هزار|الف)\b\s?)?(?:[€£$₺﷼]|\b(?:eur|euro|euros|usd|gbp|dollars?|pounds?|lira|liras|lire|tl|toman|tomans|tomen|rial|riyal|dinar|dirham|afghani|afs|lek|leke|dong|vnd|birr|nakfa|chf|pkr|rupees?|يورو|اورو|يورو|دولار|دلار|ليره|ليرات|تومان|تومن|ريال|دينار|درهم|افغاني|افغانی|جنيه|پوند|باوند)\b)", RegexOptions.CultureInvariant)]
    internal static partial Regex PriceRegex();

    [GeneratedRegex(@"https?://|\bwww\.|\b[a-z0-9-]{2,}\.(?:com|net|org|me|io|ly|co|info|biz|ru|uk|de|fr|online|site|xyz|link)\b", RegexOptions.CultureInvariant)]
    internal static partial Regex UrlRegex();

    // ---- tables ----------------------------------------------------------------------------------

    /// <summary>Number words (English, French, Spanish, Arabic and Persian after letter folding) and their values.</summary>
    private static readonly Dictionary<string, long> NumberWords = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20,
        ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
        ["hundred"] = 100, ["thousand"] = 1000, ["million"] = 1_000_000,
        ["zéro"] = 0, ["un"] = 1, ["deux"] = 2, ["trois"] = 3, ["quatre"] = 4, ["cinq"] = 5, ["sept"] = 7, ["huit"] = 8,
        ["neuf"] = 9, ["dix"] = 10, ["vingt"] = 20, ["trente"] = 30, ["quarante"] = 40, ["cinquante"] = 50, ["soixante"] = 60,
        ["cent"] = 100, ["cents"] = 100, ["mille"] = 1000,
        ["cero"] = 0, ["uno"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6, ["siete"] = 7,
        ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["veinte"] = 20, ["cien"] = 100, ["mil"] = 1000,
        ["صفر"] = 0, ["واحد"] = 1, ["اثنين"] = 2, ["اثنان"] = 2, ["ثلاث"] = 3, ["ثلاثه"] = 3, ["اربع"] = 4, ["اربعه"] = 4,
        ["خمس"] = 5, ["خمسه"] = 5, ["سته"] = 6, ["سبع"] = 7, ["سبعه"] = 7, ["ثمانيه"] = 8, ["تسع"] = 9, ["تسعه"] = 9,
        ["عشره"] = 10, ["عشرين"] = 20, ["مئه"] = 100, ["مائه"] = 100, ["ميه"] = 100, ["الف"] = 1000, ["الفين"] = 2000,
        ["يك"] = 1, ["چهار"] = 4, ["پنج"] = 5, ["شش"] = 6, ["هفت"] = 7, ["هشت"] = 8, ["صد"] = 100, ["هزار"] = 1000,
    };

    private static readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> NumberWordsBySpan =
        NumberWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int MaxNumberWordLength = NumberWords.Keys.Max(w => w.Length);

    private static readonly Dictionary<char, char> Lookalikes = new()
    {
        // Cyrillic (lower case; upper case has been folded before we get here)
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o',
        ['р'] = 'p', ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i',
        ['ј'] = 'j', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ү'] = 'y', ['һ'] = 'h', ['ɡ'] = 'g', ['ɑ'] = 'a',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['γ'] = 'y', ['ε'] = 'e', ['ζ'] = 'z', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k',
        ['μ'] = 'm', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ω'] = 'w',
        ['ς'] = 's',
    };

    /// <summary><see cref="Lookalikes"/> as a table indexed by character (0: none).</summary>
    private static readonly char[] LookalikeTable = BuildLookalikeTable();

    private static char[] BuildLookalikeTable()
    {
        var table = new char[Lookalikes.Keys.Max() + 1];
        foreach (var (c, latin) in Lookalikes)
        {
            table[c] = latin;
        }

        return table;
    }

    private const char LatinBaseFirst = '\u00C0';
    private const char LatinBaseLast = '\u1EFF';

    /// <summary>
    /// Each character from U+00C0 to U+1EFF as folded: a Latin letter with diacritics becomes its lower-case base letter
    /// (its canonical decomposition's first character, or a listed base for letters without one); any other character
    /// stays as it is.
    /// </summary>
    private static readonly char[] LatinBaseTable = BuildLatinBaseTable();

    private static char[] BuildLatinBaseTable()
    {
        var table = new char[LatinBaseLast - LatinBaseFirst + 1];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)(LatinBaseFirst + i);
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            table[i] = char.ToLowerInvariant(c) switch
            {
                'đ' or 'ɗ' => 'd',
                'ı' => 'i',
                'ø' => 'o',
                'ł' => 'l',
                'ħ' => 'h',
                'ŧ' => 't',
                _ when decomposed.Length > 1 && char.IsAsciiLetter(decomposed[0]) => char.ToLowerInvariant(decomposed[0]),
                _ => c,
            };
        }

        return table;
    }

    private static readonly Dictionary<int, string> Emoji = new()
    {
        [0x1F6A4] = "boat", [0x26F5] = "boat", [0x1F6E5] = "boat", [0x1F6A2] = "boat ship", [0x26F4] = "boat ferry",
        [0x1F6F6] = "boat", [0x1F30A] = "sea", [0x2693] = "boat anchor",
        [0x2708] = "plane", [0x1F6EB] = "plane", [0x1F6EC] = "plane", [0x1F6E9] = "plane",
        [0x1F697] = "car", [0x1F695] = "car", [0x1F699] = "car", [0x1F69A] = "truck", [0x1F69B] = "truck",
        [0x1F690] = "van", [0x1F68C] = "bus", [0x1F68D] = "bus", [0x1F686] = "train", [0x1F682] = "train",
        [0x1F684] = "train", [0x1F685] = "train", [0x1F6B6] = "walk", [0x1F97E] = "walk",
        [0x1F4B6] = "money", [0x1F4B7] = "money", [0x1F4B5] = "money", [0x1F4B4] = "money", [0x1F4B0] = "money",
        [0x1F4B8] = "money", [0x1F911] = "money", [0x1F4B2] = "money", [0x1F4B3] = "card", [0x1F3E6] = "bank",
        [0x1F4DE] = "phone", [0x260E] = "phone", [0x1F4F1] = "phone", [0x1F4F2] = "phone", [0x1F4F3] = "phone",
        [0x1F4E9] = "message", [0x1F4AC] = "message", [0x1F4E7] = "email",
        [0x1F6C2] = "passport", [0x1F6C3] = "customs", [0x1FAAA] = "id card", [0x1F4C4] = "document",
        [0x1F4C3] = "document", [0x1F4D1] = "document", [0x1F4DD] = "document", [0x1F5C2] = "document",
        [0x1F4C7] = "document", [0x1F3AB] = "ticket", [0x1F39F] = "ticket", [0x1F516] = "stamp",
        [0x1F4BC] = "job", [0x1F477] = "worker", [0x1F3D7] = "construction", [0x1F6E0] = "work",
        [0x1F3ED] = "factory", [0x1F33E] = "farm", [0x1F345] = "farm", [0x1F353] = "farm",
        [0x1F3E0] = "house", [0x1F3E1] = "house", [0x1F3E8] = "hotel", [0x1F6CF] = "bed", [0x1F37D] = "food",
        [0x1F30D] = "world", [0x1F30E] = "world", [0x1F30F] = "world", [0x1F5FA] = "map", [0x1F4CD] = "location",
        [0x1F4CC] = "location", [0x2705] = "check", [0x2714] = "check", [0x2611] = "check", [0x26A0] = "warning",
        [0x1F512] = "safe", [0x1F6E1] = "safe", [0x1F46E] = "police", [0x1F693] = "police", [0x1F6A8] = "police",
        [0x27A1] = "to", [0x2B05] = "to", [0x1F449] = "to", [0x1F447] = "to", [0x1F51D] = "top",
        [0x1F525] = "hot", [0x2B50] = "star", [0x1F31F] = "star", [0x1F4AF] = "100", [0x1F193] = "free",
        [0x1F6AB] = "no", [0x274C] = "no", [0x23F0] = "time", [0x231B] = "time", [0x1F550] = "time",
        [0x1F476] = "child", [0x1F46A] = "family", [0x1F468] = "man", [0x1F469] = "woman",
    };

    /// <summary>The range of the emoji below U+10000 (one UTF-16 character), to skip the look-up for other characters.</summary>
    private static readonly int MinBmpEmoji = Emoji.Keys.Where(k => k < 0x10000).Min();

    private static readonly int MaxBmpEmoji = Emoji.Keys.Where(k => k < 0x10000).Max();

    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["gb"] = "uk", ["de"] = "germany", ["fr"] = "france", ["it"] = "italy", ["gr"] = "greece", ["tr"] = "turkey",
        ["es"] = "spain", ["us"] = "usa", ["ca"] = "canada", ["ae"] = "uae", ["qa"] = "qatar", ["sa"] = "saudi",
        ["ly"] = "libya", ["al"] = "albania", ["ir"] = "iran", ["iq"] = "iraq", ["sy"] = "syria",
        ["af"] = "afghanistan", ["eu"] = "europe", ["nl"] = "netherlands", ["be"] = "belgium", ["se"] = "sweden",
        ["at"] = "austria", ["pl"] = "poland", ["hr"] = "croatia", ["rs"] = "serbia", ["bg"] = "bulgaria",
        ["hu"] = "hungary", ["cy"] = "cyprus", ["mt"] = "malta", ["vn"] = "vietnam", ["er"] = "eritrea",
        ["et"] = "ethiopia", ["so"] = "somalia", ["pk"] = "pakistan", ["ma"] = "morocco", ["tn"] = "tunisia",
        ["eg"] = "egypt", ["dz"] = "algeria", ["jp"] = "japan", ["kr"] = "korea", ["au"] = "australia",
        ["ru"] = "russia", ["by"] = "belarus", ["ie"] = "ireland", ["ch"] = "switzerland", ["dk"] = "denmark",
        ["no"] = "norway", ["fi"] = "finland", ["pt"] = "portugal", ["ro"] = "romania", ["bd"] = "bangladesh",
        ["in"] = "india", ["ng"] = "nigeria", ["sd"] = "sudan", ["lb"] = "lebanon", ["jo"] = "jordan",
        ["kw"] = "kuwait", ["om"] = "oman", ["bh"] = "bahrain", ["my"] = "malaysia", ["cn"] = "china",
        ["mx"] = "mexico", ["ba"] = "bosnia", ["mk"] = "macedonia", ["me"] = "montenegro", ["xk"] = "kosovo",
    };

    /// <summary>The README group-key rule (NFKC, lower, no RT/URLs, digits→0, first 40 chars): near-duplicates share it.</summary>
    internal static string GroupKey(string text)
    {
        var t = ReplaceLoneSurrogates(text).Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        t = RetweetRegex().Replace(t, string.Empty);
        t = UrlStripRegex().Replace(t, " ");
        t = t.Replace('\u2026', ' ');
        t = WhitespaceRegex().Replace(t, " ").Trim();
        t = DigitRegex().Replace(t, "0");
        return t.Length > 40 ? t[..40] : t;
    }

    [GeneratedRegex(@"^rt @\w+:\s*", RegexOptions.CultureInvariant)]
    private static partial Regex RetweetRegex();

    [GeneratedRegex(@"https?://\S+|www\.\S+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlStripRegex();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRegex();

    [GeneratedRegex(@"\d", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRegex();

    /// <summary>A growable character buffer on pooled arrays; <see cref="Dispose"/> returns the array.</summary>
    private ref struct CharBuffer(int capacity)
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(capacity);

        public int Length { readonly get; set; }

        public readonly ReadOnlySpan<char> Written => _chars.AsSpan(0, Length);

        public readonly Span<char> WrittenFrom(int start) => _chars.AsSpan(start, Length - start);

        public void Append(char c)
        {
            if (Length == _chars.Length)
            {
                Grow(1);
            }

            _chars[Length++] = c;
        }

        public void Append(scoped ReadOnlySpan<char> text)
        {
            if (Length + text.Length > _chars.Length)
            {
                Grow(text.Length);
            }

            text.CopyTo(_chars.AsSpan(Length));
            Length += text.Length;
        }

        public readonly void Dispose() => ArrayPool<char>.Shared.Return(_chars);

        private void Grow(int more)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + more));
            _chars.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = bigger;
        }
    }
}
