using System.Collections.Frozen;
using System.Globalization;

namespace ContentWatch.Core.Networks;

/// <summary>
/// Finds runs of text that may be phone numbers, however they are written: digits of any script (Eastern Arabic,
/// Persian, full-width), spaces, dots, dashes and brackets between them, digits spelled out as words ("plus four
/// four seven seven ..."), "00" for "+". One pass over the text; a run with more than 17 digits (a number column,
/// 20,000 digits in a row) is dropped as it ends, and at most <see cref="MaxCandidates"/> runs are returned.
/// libphonenumber then decides which runs are numbers.
/// </summary>
internal static class PhoneCandidates
{
    public const int MaxCandidates = 64;
    private const int MinDigits = 7;
    private const int MaxDigits = 17;
    private const int MaxSeparators = 3;
    private const int MaxWordLength = 12;

    /// <summary>Digit words in the languages adverts most often spell numbers in; "plus" words stand for '+'.</summary>
    private static readonly FrozenDictionary<string, int> Words = new Dictionary<string, int>
    {
        ["zero"] = 0, ["oh"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["zéro"] = 0, ["un"] = 1, ["deux"] = 2, ["trois"] = 3, ["quatre"] = 4, ["cinq"] = 5, ["sept"] = 7, ["huit"] = 8, ["neuf"] = 9,
        ["cero"] = 0, ["uno"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6, ["siete"] = 7, ["ocho"] = 8, ["nueve"] = 9,
        ["null"] = 0, ["eins"] = 1, ["zwei"] = 2, ["drei"] = 3, ["vier"] = 4, ["fünf"] = 5, ["sechs"] = 6, ["sieben"] = 7, ["acht"] = 8, ["neun"] = 9,
        ["due"] = 2, ["tre"] = 3, ["quattro"] = 4, ["cinque"] = 5, ["sei"] = 6, ["sette"] = 7, ["otto"] = 8, ["nove"] = 9,
        ["صفر"] = 0, ["واحد"] = 1, ["اثنان"] = 2, ["اثنين"] = 2, ["ثلاثة"] = 3, ["أربعة"] = 4, ["اربعة"] = 4, ["خمسة"] = 5, ["ستة"] = 6,
        ["سبعة"] = 7, ["ثمانية"] = 8, ["تسعة"] = 9,
        ["plus"] = Plus, ["زائد"] = Plus,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private const int Plus = -1;

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> WordLookup =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A run that may be a phone number: where it is, and its digits (ASCII) with a leading '+' when it had one or "00".</summary>
    public readonly record struct Candidate(int Start, int Length, string Number);

    public static List<Candidate> Find(string text)
    {
        var found = new List<Candidate>();
        var digits = new char[MaxDigits + 1];
        var count = 0;
        var plus = false;
        var start = -1;
        var end = -1;
        var separators = 0;

        void Close()
        {
            if (start >= 0 && count is >= MinDigits and <= MaxDigits)
            {
                var number = digits.AsSpan(0, count);
                var international = plus;
                if (!international && number.StartsWith("00") && count - 2 >= MinDigits)
                {
                    number = number[2..];
                    international = true;
                }

                found.Add(new Candidate(start, end - start, (international ? "+" : "") + number.ToString()));
            }

            start = -1;
            count = 0;
            plus = false;
            separators = 0;
        }

        void Digit(int value, int at, int until)
        {
            if (start < 0)
            {
                start = at;
            }

            if (count < digits.Length)
            {
                digits[count] = (char)('0' + value);
            }

            count++;
            end = until;
            separators = 0;
        }

        var i = 0;
        while (i < text.Length && found.Count < MaxCandidates)
        {
            var c = text[i];
            var value = c < '0' ? -1 : CharUnicodeInfo.GetDecimalDigitValue(c);
            if (value >= 0)
            {
                Digit(value, i, i + 1);
                i++;
            }
            else if (c == '+')
            {
                Close();
                start = i;
                end = i + 1;
                plus = true;
                i++;
            }
            else if (char.IsLetter(c))
            {
                var j = i;
                while (j < text.Length && char.IsLetter(text[j]))
                {
                    j++;
                }

                var word = text.AsSpan(i, j - i);
                if (word.Length <= MaxWordLength && WordLookup.TryGetValue(word, out var meaning))
                {
                    if (meaning == Plus)
                    {
                        Close();
                        start = i;
                        end = j;
                        plus = true;
                    }
                    else
                    {
                        Digit(meaning, i, j);
                    }
                }
                else
                {
                    Close();
                }

                i = j;
            }
            else if (start >= 0 && IsSeparator(c) && ++separators <= MaxSeparators)
            {
                i++;
            }
            else
            {
                Close();
                i++;
            }
        }

        Close();
        return found;
    }

    private static bool IsSeparator(char c) =>
        c is ' ' or '.' or '-' or '(' or ')' or '/' or '\u00A0' or '\u202F' or '\u2009' or '\u200E' or '\u200F' or '\u2010' or '\u2011' or '\u2012' or '\u2013';
}
