using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;

namespace ContentWatch.Core.Intake;

/// <summary>
/// Turns untrusted JSON into <see cref="ReportInput"/>s, naming every bad field. Used by the API, file import and scans,
/// so all three accept exactly the same shape.
/// </summary>
public static class ReportParser
{
    public const int MaxTextLength = 20_000;
    public const int MaxBatch = 1_000;
    public const int MaxUrlLength = 2_048;

    /// <summary>Parses one report object or an array of up to <see cref="MaxBatch"/>. Field paths carry the array index.</summary>
    public static (IReadOnlyList<ReportInput> Reports, IReadOnlyList<FieldError> Errors) ParseBody(JsonElement body)
    {
        var reports = new List<ReportInput>();
        var errors = new List<FieldError>();
        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                Collect(Parse(body, ""), reports, errors);
                break;
            case JsonValueKind.Array:
                var count = body.GetArrayLength();
                if (count == 0)
                {
                    errors.Add(new FieldError("$", "the array is empty; send at least one report"));
                }
                else if (count > MaxBatch)
                {
                    errors.Add(new FieldError("$", $"the array holds {count} reports; at most {MaxBatch} are taken in one request"));
                }
                else
                {
                    var i = 0;
                    foreach (var element in body.EnumerateArray())
                    {
                        Collect(Parse(element, $"[{i}]."), reports, errors);
                        i++;
                    }
                }

                break;
            default:
                errors.Add(new FieldError("$", "the body must be a report object or an array of report objects"));
                break;
        }

        return (reports, errors);
    }

    private static void Collect((ReportInput? Report, IReadOnlyList<FieldError> Errors) result, List<ReportInput> reports, List<FieldError> errors)
    {
        if (result.Report is not null)
        {
            reports.Add(result.Report);
        }

        errors.AddRange(result.Errors);
    }

    /// <summary>Parses one report object; <paramref name="prefix"/> is put before every field name in errors.</summary>
    public static (ReportInput? Report, IReadOnlyList<FieldError> Errors) Parse(JsonElement element, string prefix = "")
    {
        var errors = new List<FieldError>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix.Length == 0 ? "$" : prefix.TrimEnd('.'), "must be a report object"));
            return (null, errors);
        }

        var unreadable = JsonText.FindProblems(element, prefix.TrimEnd('.'));
        if (unreadable.Count > 0)
        {
            return (null, unreadable);
        }

        var platform = RequiredString(element, "platform", prefix, 64, errors);
        if (platform is not null && !IsPlatformName(platform))
        {
            errors.Add(new FieldError(prefix + "platform", PlatformNameRule));
        }

        var url = RequiredString(element, "url", prefix, MaxUrlLength, errors);
        if (url is not null && UrlProblem(url) is { } urlProblem)
        {
            errors.Add(new FieldError(prefix + "url", urlProblem));
        }

        var text = RequiredString(element, "text", prefix, MaxTextLength, errors);
        var kind = OptionalString(element, "kind", prefix, 16, errors) ?? ItemKinds.Post;
        if (!ItemKinds.All.Contains(kind))
        {
            errors.Add(new FieldError(prefix + "kind", "must be 'post' or 'job_ad'"));
        }

        var externalId = OptionalString(element, "externalId", prefix, 256, errors);
        var title = OptionalString(element, "title", prefix, 1_000, errors);
        var language = OptionalString(element, "language", prefix, 35, errors);
        var author = OptionalString(element, "author", prefix, 256, errors);
        DateTimeOffset? postedAt = null;
        var postedAtText = OptionalString(element, "postedAt", prefix, 64, errors);
        if (postedAtText is not null)
        {
            if (TryParseTimestamp(postedAtText, out var parsed))
            {
                postedAt = parsed;
            }
            else
            {
                errors.Add(new FieldError(prefix + "postedAt", "must be an ISO 8601 date-time, e.g. 2026-11-28T10:15:00Z"));
            }
        }

        Reporter? reporter = null;
        if (element.TryGetProperty("reporter", out var reporterElement) && reporterElement.ValueKind != JsonValueKind.Null)
        {
            if (reporterElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(prefix + "reporter", "must be an object with name, email and organisation"));
            }
            else
            {
                var p = prefix + "reporter.";
                var name = OptionalString(reporterElement, "name", p, 200, errors);
                var email = OptionalString(reporterElement, "email", p, 254, errors);
                if (email is not null && !IsEmail(email))
                {
                    errors.Add(new FieldError(p + "email", "must be an e-mail address"));
                }

                var organisation = OptionalString(reporterElement, "organisation", p, 200, errors);
                reporter = new Reporter(name, email, organisation);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ReportInput(platform!.ToLowerInvariant(), url!, text!, kind, externalId, title, language, author, postedAt, reporter), errors);
    }

    private static string? RequiredString(JsonElement element, string name, string prefix, int maxLength, List<FieldError> errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(prefix + name, "is required"));
            return null;
        }

        var text = StringValue(value, name, prefix, maxLength, errors);
        if (text is not null && JsonText.IsBlank(text))
        {
            errors.Add(new FieldError(prefix + name, "must not be empty (or only invisible characters)"));
            return null;
        }

        return text;
    }

    private static string? OptionalString(JsonElement element, string name, string prefix, int maxLength, List<FieldError> errors)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = StringValue(value, name, prefix, maxLength, errors);
        return text is null || JsonText.IsBlank(text) ? null : text.Trim();
    }

    private static string? StringValue(JsonElement value, string name, string prefix, int maxLength, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(prefix + name, $"must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}"));
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(prefix + name, $"is {text.Length} characters long; at most {maxLength} are allowed"));
            return null;
        }

        return text;
    }

    /// <summary>
    /// An ISO 8601 date-time (<c>2026-11-28T10:15:00Z</c>; no offset means UTC), as UTC. Control characters are refused
    /// (.NET's parser lets trailing NULs through).
    /// </summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        return !text.Any(char.IsControl)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            && text.Length >= 10 && text[4] == '-' && text[7] == '-';
    }

    public static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && !url.Any(char.IsWhiteSpace);

    /// <summary>
    /// What is wrong with a reported URL, or null: it must be an absolute http(s) URL, without credentials
    /// (<c>user:pass@</c>), and without control, bidi or invisible characters (<c>…/\u202egpj.exe</c> shows as <c>…/exe.jpg</c>).
    /// </summary>
    public static string? UrlProblem(string url)
    {
        if (url.EnumerateRunes().Any(r => Rune.IsControl(r) || JsonText.IsInvisible(r)))
        {
            return "must not hold control, bidi or invisible characters";
        }

        if (!IsWebUrl(url))
        {
            return "must be an absolute http or https URL";
        }

        var start = url.IndexOf("//", StringComparison.Ordinal);
        var authority = start < 0 ? url : url[(start + 2)..];
        var end = authority.IndexOfAny(['/', '?', '#', '\\']);
        return new Uri(url).UserInfo.Length > 0 || (end < 0 ? authority : authority[..end]).Contains('@', StringComparison.Ordinal)
            ? "must not carry credentials (user:password@)"
            : null;
    }

    public const string PlatformNameRule = "use letters, digits, '.', '_' or '-' (at most 64)";

    /// <summary>Platform names: 1–64 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsPlatformName(string platform) =>
        platform.Length is > 0 and <= 64 && platform.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email && email.Contains('.', StringComparison.Ordinal);
}
