using System.Security.Claims;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Intake;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>Platforms' webhooks (admin) and the log of delivery attempts.</summary>
public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder app)
    {
        var platform = app.MapPlatformGroup();
        var admin = platform.MapGroup("").RequireAuthorization(AccessPolicies.Admin);
        admin.MapPut("/delivery", SetWebhookAsync).Produces<WebhookInfo>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        admin.MapGet("/delivery", GetWebhookAsync).Produces<WebhookInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/deliveries/{deliveryId}/resend", ResendAsync).Produces<ResendAnswer>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);
        platform.MapGet("/deliveries", ListAttemptsAsync)
            .RequireAuthorization(AccessPolicies.Platform)
            .Produces<AttemptsAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public sealed record AttemptsAnswer(IReadOnlyList<DeliveryAttempt> Items);

    public sealed record ResendAnswer(string DeliveryId, string Status);

    /// <summary>Sets or rotates the webhook: <c>{"url","secret"}</c>, the secret in Standard Webhooks form (<c>whsec_</c> + base64).</summary>
    public static async Task<IResult> SetWebhookAsync(
        string platform, JsonBody<WebhookRequest> body, ClaimsPrincipal user, DeliveryService delivery, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = delivery.Validate(body.Value!);
        return errors.Count > 0
            ? Problems.Invalid(errors)
            : TypedResults.Ok(await delivery.ConfigureAsync(platform.ToLowerInvariant(), body.Value!, user.Actor(), cancellationToken));
    }

    public static async Task<IResult> GetWebhookAsync(string platform, IDeliveryStore store, CancellationToken cancellationToken) =>
        await store.GetWebhookAsync(platform.ToLowerInvariant(), cancellationToken) is { } webhook
            ? TypedResults.Ok(webhook)
            : Problems.NotFound($"Platform {platform} has no webhook.");

    /// <summary>Every attempt for the platform, newest first: <c>{"items":[{"exportId","attempt","httpStatus","status","at",...}]}</c>.</summary>
    public static async Task<IResult> ListAttemptsAsync(string platform, string? limit, IDeliveryStore store, CancellationToken cancellationToken)
    {
        if (Problems.ParseLimit(limit, 100, out var n) is { } error)
        {
            return Problems.Invalid([error]);
        }

        return TypedResults.Ok(new AttemptsAnswer(await store.ListAttemptsAsync(platform.ToLowerInvariant(), n, cancellationToken)));
    }

    /// <summary>Sends a delivered or dead-lettered delivery again, with a fresh retry window.</summary>
    public static async Task<IResult> ResendAsync(string platform, string deliveryId, DeliveryService delivery, CancellationToken cancellationToken) =>
        await delivery.ResendAsync(platform.ToLowerInvariant(), deliveryId, cancellationToken)
            ? TypedResults.Accepted((string?)null, new ResendAnswer(deliveryId, DeliveryStatus.Pending))
            : Problems.NotFound($"No delivered or dead-lettered delivery {deliveryId} for platform {platform}.");
}
