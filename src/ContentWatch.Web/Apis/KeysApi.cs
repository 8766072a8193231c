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

    public static async Task<IResult> CreateKeyAsync(HttpRequest request, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var (document, problem) = await Problems.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var body = document!.RootElement;
            var errors = body.NonStrings("role", "platform").ToList();
            var role = body.GetString("role");
            var platform = body.GetString("platform");
            errors.AddRange(ApiKeyService.Validate(role, platform));
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var (key, info) = await keys.CreateAsync(role!, platform, cancellationToken);
            return TypedResults.Created((string?)null, new KeyCreated(key, info.Id, info.Role, info.Platform));
        }
    }
}
