using ContentWatch.Core.Access;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/keys", CreateKeyAsync).RequireAuthorization(AccessPolicies.Admin);
        return app;
    }

    public sealed record KeyCreated(string Key, string Id, string Role, string? Platform);

    /// <summary>The body of <c>POST /api/keys</c>.</summary>
    public sealed record KeyRequest(string? Role, string? Platform);

    public static async Task<IResult> CreateKeyAsync(JsonBody<KeyRequest> body, ApiKeyService keys, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var (role, platform) = body.Value!;
        var errors = ApiKeyService.Validate(role, platform);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var (key, info) = await keys.CreateAsync(role!, platform, cancellationToken);
        return TypedResults.Created((string?)null, new KeyCreated(key, info.Id, info.Role, info.Platform));
    }
}
