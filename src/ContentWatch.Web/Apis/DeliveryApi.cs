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
        var admin = app.MapGroup("/api/platforms/{platform}").RequireAuthorization(AccessPolicies.Admin);
        admin.MapPut("/delivery", SetWebhookAsync).Produces<WebhookInfo>().ProducesValidationProblem();
        admin.MapGet("/delivery", GetWebhookAsync).Produces<WebhookInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/deliveries/{deliveryId}/resend", ResendAsync).Produces<ResendAnswer>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/platforms/{platform}/deliveries", ListAttemptsAsync)
            .RequireAuthorization(AccessPolicies.Platform)
            .Produces<AttemptsAnswer>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public sealed record AttemptsAnswer(IReadOnlyList<DeliveryAttempt> Items);

    public sealed record ResendAnswer(string DeliveryId, string Status);

    /// <summary>Sets or rotates the webhook: <c>{"url","secret"}</c>, the secret in Standard Webhooks form (<c>whsec_</c> + base64).</summary>
    public static async Task<IResult> SetWebhookAsync(
        string platform, WebhookRequest request, ClaimsPrincipal user, DeliveryService delivery, CancellationToken cancellationToken)
    {
        platform = platform.ToLowerInvariant();
        var errors = delivery.Validate(request ?? new WebhookRequest(null, null)).ToList();
        if (!ReportParser.IsPlatformName(platform))
        {
            errors.Add(new FieldError("platform", "use letters, digits, '.', '_' or '-' (at most 64)"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await delivery.ConfigureAsync(platform, request!, user.Actor(), cancellationToken));
    }

    public static async Task<IResult> GetWebhookAsync(string platform, IDeliveryStore store, CancellationToken cancellationToken) =>
        await store.GetWebhookAsync(platform.ToLowerInvariant(), cancellationToken) is { } webhook
            ? TypedResults.Ok(webhook)
            : Problems.NotFound($"Platform {platform} has no webhook.");

    /// <summary>Every attempt for the platform, newest first: <c>{"items":[{"exportId","attempt","httpStatus","status","at",...}]}</c>.</summary>
    public static async Task<IResult> ListAttemptsAsync(string platform, string? limit, ClaimsPrincipal user, IDeliveryStore store, CancellationToken cancellationToken)
    {
        if (!user.MaySee(platform))
        {
            return Problems.Forbidden("This key is bound to another platform.");
        }

        if (Problems.ParseLimit(limit, 100, out var n) is { } error)
        {
            return error;
        }

        return TypedResults.Ok(new AttemptsAnswer(await store.ListAttemptsAsync(platform.ToLowerInvariant(), n, cancellationToken)));
    }

    /// <summary>Sends a delivered or dead-lettered delivery again, with a fresh retry window.</summary>
    public static async Task<IResult> ResendAsync(string platform, string deliveryId, DeliveryService delivery, CancellationToken cancellationToken) =>
        await delivery.ResendAsync(platform.ToLowerInvariant(), deliveryId, cancellationToken)
            ? TypedResults.Accepted((string?)null, new ResendAnswer(deliveryId, DeliveryStatus.Pending))
            : Problems.NotFound($"No delivered or dead-lettered delivery {deliveryId} for platform {platform}.");
}
