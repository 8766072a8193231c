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

    /// <summary>The request body of an endpoint that binds <see cref="JsonBody{T}"/>: JSON of its type, a component schema.</summary>
    private static async Task DescribeJsonBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault() is not { } body)
        {
            return;
        }

        IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        if (body.Type != typeof(JsonElement) && context.Document is { } document)
        {
            document.AddComponent(body.Type.Name, (OpenApiSchema)schema);
            schema = new OpenApiSchemaReference(body.Type.Name, document);
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }
}
