using ContentWatch.Core.Access;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/keys", CreateKeyAsync).RequireAuthorization(AccessPolicies.Admin).Produces<KeyCreated>(StatusCodes.Status201Created).ProducesValidationProblem();
        app.MapGet("/api/keys", ListKeysAsync).RequireAuthorization(AccessPolicies.Admin).Produces<KeysAnswer>();
        app.MapDelete("/api/keys/{id}", RevokeKeyAsync).RequireAuthorization(AccessPolicies.Admin).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record KeysAnswer(IReadOnlyList<ApiKeyInfo> Keys);

    /// <summary>Every key, revoked ones included, without secrets: id, role, platform, created, last used, revoked, bootstrap.</summary>
    public static async Task<IResult> ListKeysAsync(ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new KeysAnswer(await keys.ListAsync(cancellationToken)));

    /// <summary>Revokes a key: 204, and from the next request on the key gets 401. 404 for an unknown id.</summary>
    public static async Task<IResult> RevokeKeyAsync(string id, ApiKeyService keys, ILogger<ApiKeyService> logger, System.Security.Claims.ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(id, cancellationToken))
        {
            return Problems.NotFound($"No key {id}.");
        }

        logger.LogWarning("API key {KeyId} revoked by {Actor}", id, user.Actor());
        return TypedResults.NoContent();
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
