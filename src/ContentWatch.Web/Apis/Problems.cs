using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ContentWatch.Core.Intake;

namespace ContentWatch.Web.Apis;

/// <summary>problem+json answers (RFC 9457) shared by the APIs.</summary>
public static class Problems
{
    public const int MaxJsonDepth = 16;
    public const int MaxLimit = 500;

    public static ValidationProblem Invalid(IEnumerable<FieldError> errors, string detail = "One or more fields are invalid; nothing was stored.") =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: detail,
            title: "The request is invalid");

    public static ProblemHttpResult Status(int status, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult Forbidden(string detail) => Status(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string? detail) => Status(StatusCodes.Status409Conflict, "The request conflicts with the current state", detail);

    /// <summary>
    /// Reads a <c>limit</c> query parameter: one to three ASCII digits making 1 to <see cref="MaxLimit"/> (no sign,
    /// space, other digits or the trailing NULs .NET's number parsing lets through).
    /// </summary>
    public static FieldError? ParseLimit(string? text, int fallback, out int limit)
    {
        limit = fallback;
        if (text is null)
        {
            return null;
        }

        return text.Length is >= 1 and <= 3 && text.All(char.IsAsciiDigit)
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit
            ? null
            : new FieldError("limit", $"must be a whole number from 1 to {MaxLimit}");
    }

    /// <summary>A platform name from a path or query, checked like a report's.</summary>
    public static FieldError? CheckPlatform(string? platform) =>
        platform is null || ReportParser.IsPlatformName(platform) ? null : new FieldError("platform", ReportParser.PlatformNameRule);
}
