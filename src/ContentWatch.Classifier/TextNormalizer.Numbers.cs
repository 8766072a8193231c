using System.Buffers;

namespace ContentWatch.Classifier;

/// <summary>
/// Numbers are shapes, not words: a literal number would teach the model that "2009" or "150000" means something, so
/// every number becomes a typed token — a phone number, a price (a currency next to it), a salary (a price with a
/// period or pay word near it), a percentage, a distance, a year, a time, a date, a range — or, failing those, its
/// number of digits. Tokens that mix digits and letters (h2a, mp3, handles, links) are left alone.
/// </summary>
public static partial class TextNormalizer
{
    public const string ShapePrefix = "cw_n_";
    public const string PhoneShape = "cw_n_phone";
    public const string PriceShape = "cw_n_price";
    public const string SalaryShape = "cw_n_salary";
    public const string PercentShape = "cw_n_percent";
    public const string DistanceShape = "cw_n_distance";
    public const string YearShape = "cw_n_year";
    public const string TimeShape = "cw_n_time";
    public const string DateShape = "cw_n_date";
    public const string RangeShape = "cw_n_range";
    public const string ThousandsShape = "cw_n_k";

    private static readonly string[] DigitShapes = ["cw_n_1", "cw_n_1", "cw_n_2", "cw_n_3", "cw_n_4", "cw_n_5", "cw_n_6"];

    /// <summary>Writes <paramref name="text"/> (space-separated tokens) to <paramref name="sb"/> with every number replaced by its shape.</summary>
    private static void ShapeNumbers(ReadOnlySpan<char> text, ref CharBuffer sb, int digitCount)
    {
        var ranges = ArrayPool<Range>.Shared.Rent(text.Length / 2 + 1);
        var phones = digitCount >= 7 ? PhoneRanges(text) : [];
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

            var tokens = ranges.AsSpan(0, count);
            var lastPhone = -1;
            for (var t = 0; t < tokens.Length; t++)
            {
                var token = text[tokens[t]];
                var shape = token.IndexOfAnyInRange('0', '9') < 0 ? null : Shape(text, tokens, t, phones, ref lastPhone);
                if (shape is null)
                {
                    Append(ref sb, token);
                    continue;
                }

                if (shape.Length > 0)
                {
                    Append(ref sb, shape);
                }
            }
        }
        finally
        {
            ArrayPool<Range>.Shared.Return(ranges);
        }

        static void Append(ref CharBuffer sb, scoped ReadOnlySpan<char> token)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(token);
        }
    }

    private static List<(int Start, int End)> PhoneRanges(ReadOnlySpan<char> text)
    {
        var phones = new List<(int, int)>();
        foreach (var match in PhoneRegex().EnumerateMatches(text))
        {
            phones.Add((match.Index, match.Index + match.Length));
        }

        return phones;
    }

    /// <summary>
    /// The shape of token <paramref name="t"/> (which holds a digit): null to keep it as it is, empty to drop it (the
    /// rest of a phone number already shaped).
    /// </summary>
    private static string? Shape(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens, int t, List<(int Start, int End)> phones,
        ref int lastPhone)
    {
        var (start, end) = (tokens[t].Start.Value, tokens[t].End.Value);
        var token = text[tokens[t]];
        var trimmed = token.Trim(Punctuation);
        if (trimmed.Length >= 3 && trimmed[^1] is >= '0' and <= '9' && IsNumeric(trimmed, out _)
            && trimmed.IndexOfAny('.', '/') >= 0 && IsDate(trimmed, trimmed[trimmed.IndexOfAny('.', '/')]))
        {
            return DateShape;
        }

        for (var p = 0; p < phones.Count; p++)
        {
            if (start < phones[p].End && end > phones[p].Start && IsNumeric(token.Trim(PhoneEdges), out _))
            {
                if (p == lastPhone)
                {
                    return string.Empty;
                }

                lastPhone = p;
                return PhoneShape;
            }
        }

        var core = trimmed;
        var currencyInside = core.IndexOfAny(CurrencySymbols) >= 0;
        if (currencyInside)
        {
            core = core.Trim(CurrencySymbols).Trim(Punctuation);
        }

        if (!IsNumeric(core, out var suffix))
        {
            return null;
        }

        var number = core[..^suffix.Length];
        if (number.Contains('%') || suffix is "pct")
        {
            return PercentShape;
        }

        var next = t + 1 < tokens.Length ? BeforeSlash(text[tokens[t + 1]].Trim(Punctuation)) : default;
        var afterNext = t + 2 < tokens.Length ? text[tokens[t + 2]].Trim(Punctuation) : default;
        var previous = t > 0 ? text[tokens[t - 1]].Trim(Punctuation) : default;
        var multiplierNext = IsIn(MultiplierWords, next);
        var price = currencyInside || IsIn(CurrencyWords, suffix) || IsIn(CurrencyWords, previous) || IsIn(CurrencyWords, next)
            || (multiplierNext && IsIn(CurrencyWords, afterNext));
        if (price)
        {
            return IsSalary(text, tokens, t) ? SalaryShape : PriceShape;
        }

        if (IsIn(DistanceWords, suffix) || IsIn(DistanceWords, next))
        {
            return DistanceShape;
        }

        if (suffix.Length > 0)
        {
            return suffix is "k" or "m" ? ThousandsShape : null;
        }

        var separators = 0;
        char separator = default;
        foreach (var c in number)
        {
            if (c is < '0' or > '9')
            {
                separators++;
                separator = c;
            }
        }

        if (separators == 1 && separator == ':' && number.Length - number.IndexOf(':') == 3)
        {
            return TimeShape;
        }

        if (separators is 1 or 2 && IsDate(number, separator))
        {
            return DateShape;
        }

        if (separators == 1 && separator == '-')
        {
            return RangeShape;
        }

        if (multiplierNext)
        {
            return ThousandsShape;
        }

        var digits = 0;
        var integerDigits = 0;
        var inFraction = false;
        foreach (var c in number)
        {
            if (c is >= '0' and <= '9')
            {
                digits++;
                integerDigits += inFraction ? 0 : 1;
            }
            else if (c is '.' or ',')
            {
                // "1.500" and "1,500" group thousands; "2.5" has a fraction.
                inFraction = number.Length - number.LastIndexOf(c) - 1 != 3;
            }
        }

        if (digits == 4 && separators == 0 && number[0] is '1' or '2' && int.Parse(number, System.Globalization.CultureInfo.InvariantCulture) is >= 1950 and <= 2039)
        {
            return YearShape;
        }

        return DigitShapes[Math.Min(Math.Max(integerDigits, 1), DigitShapes.Length - 1)];
    }

    /// <summary>"5/12", "05.12.2026", "5-12-26": two or three groups split by one kind of separator, day and month of 1–2 digits.</summary>
    private static bool IsDate(ReadOnlySpan<char> number, char separator)
    {
        if (separator is not ('/' or '.' or '-'))
        {
            return false;
        }

        Span<int> lengths = stackalloc int[4];
        var groups = 0;
        foreach (var part in number.Split(separator))
        {
            if (groups == 3)
            {
                return false;
            }

            lengths[groups++] = part.End.Value - part.Start.Value;
        }

        return lengths[0] is 1 or 2 && lengths[1] is 1 or 2
            && (groups == 3 ? lengths[2] is 2 or 4 : groups == 2 && separator == '/');
    }

    /// <summary>
    /// Digits with separators (. , : / - ' %), at least one digit, optionally followed by letters (<paramref name="suffix"/>:
    /// "1500euro", "150km", "5k"). False for anything else (letters before the digits, letters between digits).
    /// </summary>
    private static bool IsNumeric(ReadOnlySpan<char> token, out ReadOnlySpan<char> suffix)
    {
        suffix = default;
        if (token.IsEmpty || token[0] is < '0' or > '9')
        {
            return false;
        }

        var k = 0;
        while (k < token.Length && (token[k] is (>= '0' and <= '9') or '.' or ',' or ':' or '/' or '-' or '\'' or '%'))
        {
            k++;
        }

        suffix = token[k..];
        if (suffix.Length > 6)
        {
            return false;
        }

        foreach (var c in suffix)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A price with a pay or period word within two tokens before or three after it ("2500€ per month", "salary 900$").</summary>
    private static bool IsSalary(ReadOnlySpan<char> text, ReadOnlySpan<Range> tokens, int t)
    {
        for (var k = Math.Max(0, t - 2); k <= Math.Min(tokens.Length - 1, t + 3); k++)
        {
            var word = text[tokens[k]].Trim(Punctuation);
            var slash = word.IndexOf('/');
            if (IsIn(SalaryWords, word) || (slash >= 0 && IsIn(SalaryWords, word[(slash + 1)..])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"usd/month" → "usd".</summary>
    private static ReadOnlySpan<char> BeforeSlash(ReadOnlySpan<char> word)
    {
        var slash = word.IndexOf('/');
        return slash > 0 ? word[..slash] : word;
    }

    private static bool IsIn(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> set, ReadOnlySpan<char> word) =>
        !word.IsEmpty && set.Contains(word);

    private static readonly char[] CurrencySymbols = [.. "€£$₺﷼¥₹₦₱฿₫₴₽₪₩"];

    private static readonly char[] Punctuation = ['.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '"', '\'', '«', '»', '“', '”', '*', '+', '-', '~', '/', '…'];

    private static readonly char[] PhoneEdges = ['+', '(', ')', '.', ',', '-', ':', ';', '/'];

    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] words) =>
        new HashSet<string>(words, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Currency words and codes, after folding (Arabic-script letter forms unified); they also make a lone number word a price ("five euros").</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CurrencyWords = Lookup(
        "€", "£", "$", "eur", "euro", "euros", "evro", "evra", "usd", "dollar", "dollars", "dolar", "dolares", "dólares", "dollari",
        "gbp", "pound", "pounds", "sterling", "lira", "liras", "lire", "tl", "toman", "tomans", "tomen", "rial", "riyal", "riyals",
        "sar", "aed", "dinar", "dinars", "dirham", "dirhams", "dh", "dhs", "dzd", "tnd", "lyd", "iqd", "afghani", "afs", "afn",
        "lek", "leke", "dong", "vnd", "đ", "birr", "etb", "nakfa", "chf", "pkr", "rupee", "rupees", "rs", "inr", "npr", "lkr",
        "taka", "tk", "bdt", "naira", "ngn", "cfa", "fcfa", "xof", "ksh", "kes", "shilling", "shillings", "peso", "pesos", "mxn",
        "cop", "reais", "brl", "zloty", "zł", "pln", "lei", "ron", "hryvnia", "uah", "грн", "rub", "руб", "рублей", "рубля",
        "ringgit", "rm", "myr", "baht", "thb", "yuan", "rmb", "cny", "元", "peso", "php", "soles", "quetzal", "quetzales",
        "lempira", "lempiras", "kyat", "riel", "сом", "tenge", "yen", "krw", "cad", "aud", "sek", "nok", "dkk",
        "يورو", "اورو", "يوروا", "دولار", "دولارات", "دلار", "ليره", "ليرات", "لير", "تومان", "تومن", "ريال", "دينار", "درهم",
        "افغاني", "جنيه", "پوند", "باوند", "استرليني", "روپيه", "روپے", "ٹکا", "birrii", "doollar", "dollaar", "dolari", "dola",
        "shilingi", "naira", "money", "евро", "доллар", "долларов", "лир", "злотых");

    /// <summary>Words that multiply a number before a currency ("5 bin lira", "2 mil dólares", "50 هزار تومان").</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MultiplierWords = Lookup(
        "k", "m", "mln", "million", "millions", "mil", "bin", "milyon", "hazar", "هزار", "الف", "آلاف", "الاف", "مليون", "ميليون",
        "lakh", "lakhs", "lac", "crore", "thousand", "mille", "tys", "тыс", "тысяч", "nghìn", "ngàn", "triệu", "tr", "juta", "ribu",
        "万", "千", "mijë", "mije", "milioni", "elfu", "dubu");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> DistanceWords = Lookup(
        "km", "kms", "klm", "kilometer", "kilometers", "kilometre", "kilometres", "kilómetros", "kilometri", "kilometre",
        "mile", "miles", "كم", "كيلو", "كيلومتر", "کیلومتر", "km/h", "kmh", "mph", "км");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SalaryWords = Lookup(
        "month", "months", "monthly", "mo", "pm", "mois", "mensuel", "mensuels", "mes", "mensual", "mensuales", "monat", "monatlich",
        "mese", "mensile", "ay", "aylık", "aylik", "maaş", "maas", "ماه", "ماهانه", "شهر", "شهريا", "شهري", "hour", "hours",
        "hourly", "hr", "h", "heure", "hora", "saat", "stunde", "std", "ora", "week", "weekly", "semaine", "semana", "hafta",
        "day", "daily", "jour", "día", "dia", "gün", "روز", "يوم", "salary", "salaries", "salaire", "salario", "sueldo", "gehalt",
        "lohn", "stipendio", "راتب", "رواتب", "حقوق", "معاش", "gaji", "upah", "lương", "tháng", "buwan", "sweldo", "sahod",
        "mahina", "tankhwah", "tankhwa", "تنخواہ", "ماہانہ", "महीना", "वेतन", "सैलरी", "месяц", "мес", "зарплата", "зп", "miesięcznie",
        "pensja", "wage", "wages", "pay", "paid", "earn", "earning", "ganancia", "gana", "ganas", "paga", "rrogë", "rroga", "mushahar",
        "mshahara", "dakika", "เดือน", "เงินเดือน", "月", "月薪", "工资");
}
