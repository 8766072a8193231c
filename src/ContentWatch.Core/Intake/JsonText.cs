using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContentWatch.Core.Intake;

/// <summary>Checks on untrusted JSON and text that every way in shares: strings that are not Unicode, keys given twice, invisible text.</summary>
public static class JsonText
{
    public const string NotUnicode = "is not valid Unicode: it holds a lone surrogate or bytes that are not UTF-8";

    /// <summary>
    /// Names every string (value or property name) that is not valid Unicode and every property given twice in its
    /// object, with paths such as <c>text</c>, <c>reporter.name</c> or <c>[3].url</c>; the root is <c>$</c>.
    /// </summary>
    public static IReadOnlyList<FieldError> FindProblems(JsonElement element, string path = "")
    {
        var errors = new List<FieldError>();
        Walk(element, path, errors);
        return errors;
    }

    private static void Walk(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new FieldError(path.Length == 0 ? "$" : path, "holds a property name that " + NotUnicode));
                        continue;
                    }

                    var child = path.Length == 0 ? name : path + "." + name;
                    if (!seen.Add(name))
                    {
                        errors.Add(new FieldError(child, "is given more than once"));
                    }

                    Walk(property.Value, child, errors);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]", errors);
                }

                break;
            case JsonValueKind.String:
                try
                {
                    element.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new FieldError(path.Length == 0 ? "$" : path, NotUnicode));
                }

                break;
        }
    }

    /// <summary>
    /// True for characters that show nothing: format characters (zero-width, bidi controls, byte-order mark, soft
    /// hyphen, tags) and the blank letters used to fake text (Hangul fillers, Braille blank).
    /// </summary>
    public static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>True when the text shows nothing: only whitespace, control and invisible characters.</summary>
    public static bool IsBlank(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!(Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || IsInvisible(rune)))
            {
                return false;
            }
        }

        return true;
    }
}
