using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>Who is behind it: indicators and the items sharing them, the watchlist, near-duplicate clusters and their decisions, sharing with partners.</summary>
public static class NetworksApi
{
    /// <summary>Members listed by <c>GET /api/clusters/{id}</c>, and characters of each read for the template.</summary>
    public const int ClusterMembersShown = 500;
    public const int TemplateTextLength = 2_000;

    public static IEndpointRouteBuilder MapNetworksApi(this IEndpointRouteBuilder app)
    {
        var officer = app.MapGroup("/api").RequireAuthorization(AccessPolicies.Officer);
        officer.MapGet("/indicators", GetIndicatorAsync).Produces<IndicatorAnswer>().ProducesValidationProblem();
        officer.MapGet("/indicators/export", ExportAsync).Produces<string>(StatusCodes.Status200OK, IndicatorSharing.StixMediaType, "text/csv").ProducesValidationProblem();
        officer.MapGet("/watchlist", ListWatchlistAsync).Produces<WatchlistAnswer>().ProducesValidationProblem();
        officer.MapPost("/watchlist", AddToWatchlistAsync).Produces<WatchlistEntry>(StatusCodes.Status201Created).ProducesValidationProblem();
        officer.MapGet("/watchlist/{id}", GetWatchlistEntryAsync).Produces<WatchlistEntryAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapDelete("/watchlist/{id}", RemoveFromWatchlistAsync).Produces<WatchlistEntry>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapGet("/clusters/{id}", GetClusterAsync).Produces<ClusterAnswer>().ProducesProblem(StatusCodes.Status404NotFound);
        officer.MapPost("/clusters/{id}/decision", DecideClusterAsync).Produces<ClusterDecisionAnswer>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record IndicatorAnswer(
        string Type, string Value, int ItemCount, IReadOnlyList<string> Platforms, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen,
        IReadOnlyList<IndicatorSighting> Items, IReadOnlyList<WatchlistEntry> Watchlist);

    public sealed record WatchlistAnswer(IReadOnlyList<WatchlistEntry> Items);

    public sealed record WatchlistEntryAnswer(WatchlistEntry Entry, IReadOnlyList<WatchlistEvent> Events);

    public sealed record ClusterAnswer(
        string Id, DateTimeOffset CreatedAt, int Size, IReadOnlyList<ClusterItem> Items, IReadOnlyList<string> Platforms,
        DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, string Template, IReadOnlyList<TemplateSlot> Slots);

    public sealed record ClusterItem(
        string Id, string Url, string Platform, string Status, string? Label, double? Score, DateTimeOffset FirstReportedAt, DateTimeOffset LastReportedAt,
        string? ReferralId);

    public sealed record ClusterDecisionAnswer(string ClusterId, IReadOnlyList<ClusterItemDecision> Items);

    public static async Task<IResult> GetIndicatorAsync(
        string? type, string? value, string? limit, WatchlistService watchlist, INetworkStore networks, IWatchlistStore entries, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var indicator = watchlist.ParseIndicator(type, value, errors);
        if (Problems.ParseLimit(limit, 100, out var n) is { } limitError)
        {
            return Problems.Invalid([limitError]);
        }

        if (indicator is null)
        {
            return Problems.Invalid(errors, "The indicator could not be read.");
        }

        var sightings = await networks.GetSightingsAsync(indicator, n, cancellationToken);
        var watched = await entries.ListAsync(indicator, includeRemoved: true, Problems.MaxLimit, cancellationToken);
        return TypedResults.Ok(new IndicatorAnswer(
            sightings.Type, sightings.Value, sightings.ItemCount, sightings.Platforms, sightings.FirstSeen, sightings.LastSeen, sightings.Items, watched));
    }

    /// <summary>The watched indicators as a STIX 2.1 bundle (default) or CSV; no reporter's data, no officer, no reason.</summary>
    public static async Task<IResult> ExportAsync(string? format, INetworkStore networks, IOptions<SharingOptions> sharing, TimeProvider time, CancellationToken cancellationToken)
    {
        if (format is not (null or "stix" or "csv"))
        {
            return Problems.Invalid([new FieldError("format", "must be 'stix' or 'csv'")]);
        }

        var indicators = await networks.GetSharedIndicatorsAsync(cancellationToken);
        if (format == "csv")
        {
            await using var writer = new StringWriter();
            await IndicatorSharing.WriteCsvAsync(indicators, writer, cancellationToken);
            return TypedResults.Text(writer.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
        }

        var bundle = IndicatorSharing.StixBundle(indicators, sharing.Value, time.GetUtcNow());
        return TypedResults.Text(bundle.ToJsonString(), IndicatorSharing.StixMediaType, Encoding.UTF8);
    }

    public static async Task<IResult> ListWatchlistAsync(
        string? type, string? value, string? includeRemoved, string? limit, WatchlistService watchlist, IWatchlistStore entries, CancellationToken cancellationToken)
    {
        if (Problems.ParseLimit(limit, 100, out var n) is { } limitError)
        {
            return Problems.Invalid([limitError]);
        }

        var errors = new List<FieldError>();
        Indicator? indicator = null;
        if (type is not null || value is not null)
        {
            indicator = watchlist.ParseIndicator(type, value, errors);
        }

        if (includeRemoved is not (null or "true" or "false"))
        {
            errors.Add(new FieldError("includeRemoved", "must be 'true' or 'false'"));
        }

        return errors.Count > 0
            ? Problems.Invalid(errors)
            : TypedResults.Ok(new WatchlistAnswer(await entries.ListAsync(indicator, includeRemoved == "true", n, cancellationToken)));
    }

    public static async Task<IResult> AddToWatchlistAsync(JsonBody<WatchlistRequest> body, ClaimsPrincipal user, WatchlistService watchlist, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var (indicator, errors) = watchlist.Validate(body.Value!);
        if (indicator is null)
        {
            return Problems.Invalid(errors);
        }

        var entry = await watchlist.AddAsync(indicator, body.Value!.Reason!, user.Actor(), cancellationToken);
        return TypedResults.Created($"/api/watchlist/{entry.Id}", entry);
    }

    public static async Task<IResult> GetWatchlistEntryAsync(string id, IWatchlistStore entries, CancellationToken cancellationToken) =>
        await entries.GetAsync(id, cancellationToken) is { } entry
            ? TypedResults.Ok(new WatchlistEntryAnswer(entry, await entries.GetEventsAsync(id, cancellationToken)))
            : Problems.NotFound($"No watchlist entry {id}.");

    /// <summary>Removes an entry; the reason comes from <c>?reason=</c> or a JSON body <c>{"reason"}</c>, and is recorded with the officer.</summary>
    public static async Task<IResult> RemoveFromWatchlistAsync(
        string id, string? reason, HttpRequest request, ClaimsPrincipal user, WatchlistService watchlist, CancellationToken cancellationToken)
    {
        // The body is optional here, so it is bound only when there is one (with every check of a required body).
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var body = await JsonBody<WatchlistRemoval>.BindAsync(request.HttpContext, null!);
            if (body!.Problem is { } problem)
            {
                return problem;
            }

            reason ??= body.Value!.Reason;
        }

        if (reason is { Length: > WatchlistService.MaxReasonLength })
        {
            return Problems.Invalid([new FieldError("reason", $"is {reason.Length} characters long; at most {WatchlistService.MaxReasonLength} are allowed")]);
        }

        return await watchlist.RemoveAsync(id, reason, user.Actor(), cancellationToken) is { } entry
            ? TypedResults.Ok(entry)
            : Problems.NotFound($"No watchlist entry {id}.");
    }

    public static async Task<IResult> GetClusterAsync(string id, INetworkStore networks, IndicatorExtractor extractor, CancellationToken cancellationToken)
    {
        var cluster = await networks.GetClusterAsync(id, ClusterMembersShown, TemplateTextLength, cancellationToken);
        if (cluster is null)
        {
            return Problems.NotFound($"No cluster {id}.");
        }

        var template = ClusterTemplate.From([.. cluster.Members.Select(m => m.Text)], extractor);
        var members = cluster.Members;
        return TypedResults.Ok(new ClusterAnswer(
            cluster.Id, cluster.CreatedAt, cluster.Size,
            [.. members.Select(m => new ClusterItem(m.Id, m.Url, m.Platform, m.Status, m.Label, m.Score, m.FirstReportedAt, m.LastReportedAt, m.ReferralId))],
            [.. members.Select(m => m.Platform).Distinct().Order(StringComparer.Ordinal)],
            members.Count == 0 ? null : members.Min(m => m.FirstReportedAt),
            members.Count == 0 ? null : members.Max(m => m.LastReportedAt),
            template.Text, template.Slots));
    }

    /// <summary>The body of an item decision, applied to every open member of the cluster.</summary>
    public static async Task<IResult> DecideClusterAsync(string id, JsonBody<DecisionRequest> body, ClaimsPrincipal user, ClusterDecisionService clusters, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var errors = ReviewService.Validate(body.Value!);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var decided = await clusters.DecideAsync(id, body.Value!, user.Actor(), cancellationToken);
        return decided is null ? Problems.NotFound($"No cluster {id}.") : TypedResults.Ok(new ClusterDecisionAnswer(id, decided));
    }

    /// <summary>The optional body of a watchlist removal.</summary>
    public sealed record WatchlistRemoval(string? Reason);
}
