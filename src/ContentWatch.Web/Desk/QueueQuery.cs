using System.Globalization;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using Microsoft.AspNetCore.WebUtilities;

namespace ContentWatch.Web.Desk;

/// <summary>
/// The queue's filters and position as they travel in query strings between the queue and item pages. Bad values are
/// reported as field errors and ignored, never passed on.
/// </summary>
public sealed record QueueQuery(
    string? Platform,
    string? Label,
    string? Language,
    double? MinScore,
    double? MaxScore,
    string? Age,
    int Page)
{
    public const int PageSize = 50;

    /// <summary>Age choices: reported within the last day, week or month, or longer ago than a week or a month.</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> Ages =
        [("1d", "last 24 hours"), ("7d", "last 7 days"), ("30d", "last 30 days"), ("older-7d", "older than 7 days"), ("older-30d", "older than 30 days")];

    public static readonly QueueQuery Empty = new(null, null, null, null, null, null, 1);

    public static QueueQuery Parse(IQueryCollection query, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;

        var platform = Text("platform")?.ToLowerInvariant();
        if (platform is not null && !ReportParser.IsPlatformName(platform))
        {
            errors.Add(new FieldError("platform", "use letters, digits, '.', '_' or '-' (at most 64)"));
            platform = null;
        }

        var label = Text("label");
        if (label is not null && !Labels.IsValid(label))
        {
            errors.Add(new FieldError("label", "must be one of " + string.Join(", ", Labels.All)));
            label = null;
        }

        var language = Text("language")?.ToLowerInvariant();
        if (language is not null && (language.Length > 16 || !language.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            errors.Add(new FieldError("language", "use a language tag such as en or ar"));
            language = null;
        }

        var age = Text("age");
        if (age is not null && !Ages.Any(a => a.Value == age))
        {
            errors.Add(new FieldError("age", "pick one of the listed ages"));
            age = null;
        }

        var page = 1;
        if (Text("page") is { } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 100_000))
        {
            errors.Add(new FieldError("page", "must be a whole number from 1"));
            page = 1;
        }

        return new QueueQuery(platform, label, language, Score(Text("minScore"), "minScore", errors), Score(Text("maxScore"), "maxScore", errors), age, page);
    }

    private static double? Score(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return value;
        }

        errors.Add(new FieldError(field, "must be a number from 0 to 1"));
        return null;
    }

    public QueueFilter ToFilter(DateTimeOffset now) => new(
        Platform,
        Label,
        Language,
        MinScore,
        MaxScore,
        Age switch
        {
            "1d" => now.AddDays(-1),
            "7d" => now.AddDays(-7),
            "30d" => now.AddDays(-30),
            _ => null,
        },
        Age switch
        {
            "older-7d" => now.AddDays(-7),
            "older-30d" => now.AddDays(-30),
            _ => null,
        });

    /// <summary>The query string of these filters (with a page or an item position when given), starting with '?'.</summary>
    public string ToQueryString(int? page = null, int? position = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["platform"] = Platform,
            ["label"] = Label,
            ["language"] = Language,
            ["minScore"] = MinScore?.ToString(CultureInfo.InvariantCulture),
            ["maxScore"] = MaxScore?.ToString(CultureInfo.InvariantCulture),
            ["age"] = Age,
            ["page"] = page is > 1 ? page.Value.ToString(CultureInfo.InvariantCulture) : null,
            ["pos"] = position?.ToString(CultureInfo.InvariantCulture),
        };
        var query = QueryHelpers.AddQueryString("", values.Where(v => v.Value is not null));
        return query.Length == 0 ? "" : query;
    }
}
