using System.Reflection;
using Microsoft.AspNetCore.Http.Features;

namespace ContentWatch.Web.Apis;

/// <summary>
/// A request body that may be left out: no body at all binds to null <see cref="Value"/>; a body given is read by
/// <see cref="JsonBody{T}"/>, with its checks and problems.
/// </summary>
public sealed class OptionalJsonBody<T>
{
    private OptionalJsonBody(T? value, IResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The body, or null when none was sent.</summary>
    public T? Value { get; }

    public IResult? Problem { get; }

    public static async ValueTask<OptionalJsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return new OptionalJsonBody<T>(default, null);
        }

        var body = await JsonBody<T>.BindAsync(context, parameter);
        return new OptionalJsonBody<T>(body!.Value, body.Problem);
    }
}
