using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using ContentWatch.Core.Intake;

namespace ContentWatch.Web.Apis;

/// <summary>
/// A JSON request body bound to <typeparamref name="T"/> (a request record of strings, or <see cref="JsonElement"/>),
/// or the problem to answer instead: <c>415</c> when it is not <c>application/json</c>; <c>413</c> over 10 MB;
/// <c>408</c> when it trickles in; <c>400</c> when its framing is broken or it ends early, when it is not JSON, when a
/// string is not valid Unicode or a key is given twice, and when a field has the wrong type (naming the field).
/// </summary>
public sealed class JsonBody<T> : IEndpointParameterMetadataProvider
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNameCaseInsensitive = false };

    private JsonBody(T? value, IResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The body; set when <see cref="Problem"/> is null.</summary>
    public T? Value { get; }

    public IResult? Problem { get; }

    /// <summary>
    /// Tells the OpenAPI document that the endpoint reads a JSON <typeparamref name="T"/>. Not as accepts metadata:
    /// routing would then answer 415 before authentication, to callers without a key.
    /// </summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new JsonBodyMetadata(typeof(T)));
    }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return Refused(Problems.Status(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON",
                "Send the body with 'Content-Type: application/json'; nothing was stored."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = Problems.MaxJsonDepth }, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return Refused(Problems.Invalid([new FieldError("$", "the body is not valid JSON: " + e.Message)], "The body could not be read as JSON; nothing was stored."));
        }
        catch (BadHttpRequestException e)
        {
            return Refused(e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => Problems.Status(e.StatusCode, "The body is too large", "Bodies over 10 MB are refused; send smaller batches."),
                StatusCodes.Status408RequestTimeout => Problems.Status(e.StatusCode, "The body came too slowly", "The body was sent too slowly and was not read; nothing was stored."),
                _ => Problems.Status(StatusCodes.Status400BadRequest, "The body could not be read", "The body ended early or its framing is broken; nothing was stored."),
            });
        }
        catch (IOException)
        {
            // Kestrel's chunked decoder throws a bare IOException for some bad chunk sizes
            return Refused(Problems.Status(StatusCodes.Status400BadRequest, "The body could not be read", "The body's framing is broken; nothing was stored."));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away: nobody reads this answer
            return Refused(Problems.Status(StatusCodes.Status400BadRequest, "The body could not be read", "The connection closed while the body was read."));
        }

        using (document)
        {
            var errors = JsonText.FindProblems(document.RootElement);
            if (errors.Count > 0)
            {
                return Refused(Problems.Invalid(errors));
            }

            if (typeof(T) == typeof(JsonElement))
            {
                return new JsonBody<T>((T)(object)document.RootElement.Clone(), null);
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Refused(Problems.Invalid([new FieldError("$", "the body must be a JSON object")]));
            }

            try
            {
                return new JsonBody<T>(document.Deserialize<T>(Options), null);
            }
            catch (JsonException e)
            {
                var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";
                return Refused(Problems.Invalid([new FieldError(field, ExpectedType(field))]));
            }
        }
    }

    private static JsonBody<T> Refused(IResult problem) => new(default, problem);

    /// <summary>What the field must hold: the request records hold strings, and a few flags.</summary>
    private static string ExpectedType(string field)
    {
        var property = typeof(T).GetProperties().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        return (Nullable.GetUnderlyingType(property?.PropertyType ?? typeof(string)) ?? property?.PropertyType) == typeof(bool) ? "must be true or false" : "must be a string";
    }
}

/// <summary>The type of an endpoint's <see cref="JsonBody{T}"/>, for the OpenAPI document.</summary>
public sealed record JsonBodyMetadata(Type Type);
