using System.Security.Claims;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Models;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var officer = app.MapGroup("/api").RequireAuthorization(AccessPolicies.Officer);
        officer.MapGet("/review/queue", GetQueueAsync).Produces<QueueAnswer>().ProducesValidationProblem();
        officer.MapGet("/items", ListItemsAsync).Produces<ItemsAnswer>().ProducesValidationProblem();
        officer.MapGet("/items/{id}", GetItemAsync).Produces<ItemDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapGet("/items/{id}/audit", GetAuditAsync).Produces<AuditAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapGet("/items/{id}/reports", GetReportsAsync).Produces<ReportsAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapPost("/items/{id}/decision", DecideAsync).Produces<DecisionAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record QueueAnswer(IReadOnlyList<QueueEntry> Items);

    public sealed record ItemsAnswer(IReadOnlyList<ItemSummary> Items);

    public sealed record AuditAnswer(IReadOnlyList<AuditEntry> Items);

    public sealed record ReportsAnswer(IReadOnlyList<ReportRecord> Items);

    public sealed record DecisionAnswer(string ItemId, string Decision, string? ReferralId);

    /// <summary>The query of <c>GET /api/review/queue</c>.</summary>
    public sealed record QueueQuery(string? Limit);

    /// <summary>The query of <c>GET /api/items</c>.</summary>
    public sealed record ItemsQuery(string? Status, string? Platform, string? Limit)
    {
        public IReadOnlyList<FieldError> Validate(out int limit)
        {
            var errors = new List<FieldError>();
            if (Problems.ParseLimit(Limit, 50, out limit) is { } badLimit)
            {
                errors.Add(badLimit);
            }

            if (Status is not null && !ItemStatus.All.Contains(Status))
            {
                errors.Add(new FieldError("status", "must be one of pending, in_review, dismissed, confirmed, rejected"));
            }

            if (Problems.CheckPlatform(Platform) is { } badPlatform)
            {
                errors.Add(badPlatform);
            }

            return errors;
        }
    }

    public static async Task<IResult> GetQueueAsync([AsParameters] QueueQuery query, IReviewStore store, CancellationToken cancellationToken) =>
        Problems.ParseLimit(query.Limit, 50, out var n) is { } error
            ? Problems.Invalid([error])
            : TypedResults.Ok(new QueueAnswer(await store.GetQueueAsync(n, cancellationToken)));

    public static async Task<IResult> ListItemsAsync([AsParameters] ItemsQuery query, IReviewStore store, CancellationToken cancellationToken)
    {
        var errors = query.Validate(out var n);
        return errors.Count > 0
            ? Problems.Invalid(errors)
            : TypedResults.Ok(new ItemsAnswer(await store.ListItemsAsync(query.Status, query.Platform?.ToLowerInvariant(), n, cancellationToken)));
    }

    /// <summary>The item with its indicators and cluster; an item not yet analysed shows the indicators its text holds.</summary>
    public static async Task<IResult> GetItemAsync(string id, IReviewStore store, INetworkStore networks, IModelStore models, IndicatorExtractor extractor,
        CancellationToken cancellationToken)
    {
        if (await store.GetItemAsync(id, cancellationToken) is not { } item)
        {
            return Problems.NotFound($"No item {id}.");
        }

        var network = await networks.GetItemNetworkAsync(id, cancellationToken);
        var indicators = network.Analysed ? network.Indicators : extractor.ExtractAll(item.Title, item.Text);
        return TypedResults.Ok(item with
        {
            Indicators = indicators,
            ClusterId = network.ClusterId,
            Entities = network.Entities ?? [],
            ShadowVerdict = await models.GetShadowVerdictAsync(id, cancellationToken),
            Notes = await models.GetNotesAsync(id, cancellationToken),
        });
    }

    public static async Task<IResult> GetAuditAsync(string id, IReviewStore store, CancellationToken cancellationToken) =>
        await store.GetItemAsync(id, cancellationToken) is null
            ? Problems.NotFound($"No item {id}.")
            : TypedResults.Ok(new AuditAnswer(await store.GetAuditAsync(id, cancellationToken)));

    public static async Task<IResult> GetReportsAsync(string id, IReviewStore store, CancellationToken cancellationToken) =>
        await store.GetItemAsync(id, cancellationToken) is null
            ? Problems.NotFound($"No item {id}.")
            : TypedResults.Ok(new ReportsAnswer(await store.GetReportsAsync(id, cancellationToken)));

    public static async Task<IResult> DecideAsync(string id, JsonBody<DecisionRequest> body, ClaimsPrincipal user, ReviewService review, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var decision = body.Value!;
        var errors = ReviewService.Validate(decision);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var result = await review.DecideAsync(id, decision, user.Actor(), cancellationToken);
        return result.Outcome switch
        {
            DecisionOutcome.Recorded => TypedResults.Ok(new DecisionAnswer(id, decision.Decision!, result.ReferralId)),
            DecisionOutcome.ItemNotFound => Problems.NotFound($"No item {id}."),
            _ => Problems.Status(StatusCodes.Status409Conflict, "The decision conflicts with the item's state", result.Message),
        };
    }
}
