using System.Security.Claims;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Training;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>
/// Officers' decisions as training data. Admin only: each line names the officer who decided, which is personal data
/// of staff; officers and platforms get 403.
/// </summary>
public static class TrainingApi
{
    /// <summary>The longest <c>since</c> read; an ISO 8601 time is far shorter.</summary>
    public const int MaxSinceLength = 64;

    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/training/examples", GetExamplesAsync).RequireAuthorization(AccessPolicies.Admin);
        return app;
    }

    /// <summary>The query of <c>GET /api/training/examples</c>: <c>since</c>, an ISO 8601 date or date-time, optional.</summary>
    public sealed record ExamplesQuery(string? Since)
    {
        public FieldError? Validate(out DateTimeOffset? since)
        {
            since = null;
            if (Since is null)
            {
                return null;
            }

            // the timestamp rule of every other time the API reads (control characters, NULs included, are refused)
            if (Since.Length <= MaxSinceLength && ReportParser.TryParseTimestamp(Since, out var at))
            {
                since = at;
                return null;
            }

            return new FieldError("since", "must be an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T00:00:00Z");
        }
    }

    /// <summary>
    /// Every example whose first decision was taken at or after <c>since</c>, oldest first, as JSON Lines
    /// (<see cref="TrainingExampleJsonl"/>), streamed a page at a time: <c>400</c> problem+json for a bad <c>since</c>.
    /// </summary>
    public static IResult GetExamplesAsync([AsParameters] ExamplesQuery query, ITrainingExampleStore store, ClaimsPrincipal user,
        ILogger<ITrainingExampleStore> logger, CancellationToken cancellationToken)
    {
        if (query.Validate(out var since) is { } error)
        {
            return Problems.Invalid([error]);
        }

        return TypedResults.Stream(async body =>
        {
            // cancellationToken is the request's: a client that goes away stops the reads.
            var count = await TrainingExampleJsonl.WriteAsync(TrainingExamples.StreamAsync(store, since, cancellationToken), body, cancellationToken);
            logger.LogInformation("Training examples read by {Actor}: {Count} since {Since}", user.Actor(), count, since);
        }, TrainingExampleJsonl.ContentType);
    }
}
