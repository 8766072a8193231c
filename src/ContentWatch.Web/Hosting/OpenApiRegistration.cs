using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using ContentWatch.Web.Apis;
using Microsoft.OpenApi;

namespace ContentWatch.Web.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (no key needed): every API endpoint with its schemas, the Bearer API-key
/// scheme, and on each endpoint that needs a key the requirement and its 401/403 answers.
/// </summary>
public static class OpenApiRegistration
{
    public const string SchemeName = "Bearer";

    public static IServiceCollection AddContentWatchOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ContentWatch API",
                    Version = "v1",
                    Description = "Reports in, review, takedown referrals out: export batches with the DSA Article 16 notice elements, "
                        + "push delivery signed the Standard Webhooks way, platforms' status reports, re-checks and the transparency report.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key (cw_...) made with POST /api/keys or `contentwatch keys create`: Authorization: Bearer <key>.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(DescribeJsonBodyAsync);
            o.AddOperationTransformer(DescribeJsonAlternativesAsync);
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
                {
                    return Task.CompletedTask;
                }

                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid API key." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role or platform may not do this." });
                var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).Distinct();
                operation.Description = (operation.Description is null ? "" : operation.Description + " ") + "Policy: " + string.Join(", ", roles) + ".";
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// The 200 JSON answer of an endpoint whose query picks one of several documents (<see cref="JsonResponseAlternatives"/>):
    /// one of their component schemas.
    /// </summary>
    private static async Task DescribeJsonAlternativesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonResponseAlternatives>().FirstOrDefault() is not { } alternatives
            || context.Document is not { } document
            || operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok)
            || ok.Content is null || !ok.Content.TryGetValue("application/json", out var json))
        {
            return;
        }

        var oneOf = new List<IOpenApiSchema>();
        foreach (var type in alternatives.Types)
        {
            oneOf.Add(await ComponentReferenceAsync(type, context, document, cancellationToken));
        }

        json.Schema = new OpenApiSchema { OneOf = oneOf };
    }

    /// <summary>The request body of an endpoint that binds <see cref="JsonBody{T}"/>: JSON of its type, a component schema.</summary>
    private static async Task DescribeJsonBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault() is not { } body)
        {
            return;
        }

        var schema = body.Type != typeof(JsonElement) && context.Document is { } document
            ? await ComponentReferenceAsync(body.Type, context, document, cancellationToken)
            : await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    /// <summary>A reference to <paramref name="type"/>'s schema as a component of the document (added once, named after the type).</summary>
    private static async Task<IOpenApiSchema> ComponentReferenceAsync(Type type, OpenApiOperationTransformerContext context, OpenApiDocument document, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}

/// <summary>Endpoint metadata: the 200 JSON answer is one of these documents (which one, the request's query says).</summary>
public sealed record JsonResponseAlternatives(IReadOnlyList<Type> Types);
