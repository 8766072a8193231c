using System.Text.Json;
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

    /// <summary>Reads a <c>limit</c> query parameter; answers the problem when it is not a whole number from 1 to <see cref="MaxLimit"/>.</summary>
    public static IResult? ParseLimit(string? text, int fallback, out int limit)
    {
        limit = fallback;
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit
            ? null
            : Invalid([new FieldError("limit", $"must be a whole number from 1 to {MaxLimit}")]);
    }

    /// <summary>Reads the body as JSON within the server's size limit; answers the problem when it cannot.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth }, cancellationToken);
            return (document, null);
        }
        catch (JsonException e)
        {
            return (null, Invalid([new FieldError("$", "the body is not valid JSON: " + e.Message)], "The body could not be read as JSON; nothing was stored."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Status(StatusCodes.Status413PayloadTooLarge, "The body is too large", "Bodies over 10 MB are refused; send smaller batches."));
        }
    }

    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Names a field that is present with a type other than string.</summary>
    public static IEnumerable<FieldError> NonStrings(this JsonElement element, params string[] names) =>
        element.ValueKind != JsonValueKind.Object
            ? [new FieldError("$", "the body must be a JSON object")]
            : names.Where(n => element.TryGetProperty(n, out var v) && v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                .Select(n => new FieldError(n, "must be a string"));
}
