using System.Globalization;
using System.Security.Claims;
using System.Text;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Web.Access;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Apis;

/// <summary>Per-platform referral queues, export batches and the platforms' reports back.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        var platforms = app.MapPlatformGroup().RequireAuthorization(AccessPolicies.Platform);
        platforms.MapPost("/exports", CreateExportAsync).Produces<ExportBatch>(StatusCodes.Status201Created).Produces(StatusCodes.Status204NoContent);
        platforms.MapGet("/exports", ListExportsAsync).Produces<ExportsAnswer>();
        platforms.MapGet("/exports/{id}", GetExportAsync)
            .Produces<ExportDocument>(StatusCodes.Status200OK, "application/json", "text/csv")
            .WithMetadata(new JsonResponseAlternatives([typeof(ExportDocument), typeof(StatementsDocument)]))
            .WithDescription("The batch with its notices as JSON (format=json, default) or CSV (format=csv); format=sor answers a StatementsDocument, one statement-of-reasons draft per notice with the DSA Transparency Database's field names.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        platforms.MapGet("/referrals", ListReferralsAsync).Produces<ReferralsAnswer>().ProducesValidationProblem();
        var referrals = app.MapGroup("/api/referrals/{id}").RequireAuthorization(AccessPolicies.Platform);
        referrals.MapGet("", GetReferralAsync).Produces<ReferralInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        referrals.MapPost("/status", PostStatusAsync).RequireAuthorization(AccessPolicies.PlatformReport)
            .Produces<ReferralInfo>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record ExportsAnswer(IReadOnlyList<ExportBatch> Items);

    public sealed record ReferralsAnswer(IReadOnlyList<ReferralInfo> Items);

    public static async Task<IResult> CreateExportAsync(string platform, ExportService exports, CancellationToken cancellationToken)
    {
        var batch = await exports.CreateBatchAsync(platform.ToLowerInvariant(), cancellationToken);
        return batch is null
            ? TypedResults.NoContent()
            : TypedResults.Created($"/api/platforms/{Uri.EscapeDataString(batch.Platform)}/exports/{batch.Id}", batch);
    }

    public static async Task<IResult> ListExportsAsync(string platform, IExportStore exports, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ExportsAnswer(await exports.ListBatchesAsync(platform.ToLowerInvariant(), cancellationToken)));

    public static async Task<IResult> GetExportAsync(
        string platform, string id, string? format, ExportService exports, StatementOfReasons statements, CancellationToken cancellationToken)
    {
        if (format is not (null or "json" or "csv" or "sor"))
        {
            return Problems.Invalid([new FieldError("format", "must be 'json', 'csv' or 'sor' (statement-of-reasons drafts)")]);
        }

        var document = await exports.GetDocumentAsync(platform.ToLowerInvariant(), id, cancellationToken);
        if (document is null)
        {
            return Problems.NotFound($"No export {id} for platform {platform}.");
        }

        if (format == "sor")
        {
            return TypedResults.Ok(await statements.DraftAsync(document, cancellationToken));
        }

        if (format == "csv")
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture);
            await NoticeCsv.WriteAsync(document, writer, cancellationToken);
            return TypedResults.File(Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"contentwatch-{document.Platform}-{document.Id}.csv");
        }

        return TypedResults.Ok(document);
    }

    /// <summary>The query of <c>GET /api/platforms/{p}/referrals</c>.</summary>
    public sealed record ReferralsQuery(string? Status, string? Limit)
    {
        public IReadOnlyList<FieldError> Validate(out int limit)
        {
            var errors = new List<FieldError>();
            if (Problems.ParseLimit(Limit, 100, out limit) is { } badLimit)
            {
                errors.Add(badLimit);
            }

            if (Status is not null && !ReferralStatus.All.Contains(Status))
            {
                errors.Add(new FieldError("status", "must be one of " + string.Join(", ", ReferralStatus.All)));
            }

            return errors;
        }
    }

    public static async Task<IResult> ListReferralsAsync(string platform, [AsParameters] ReferralsQuery query, IReferralStore referrals, CancellationToken cancellationToken)
    {
        var errors = query.Validate(out var n);
        return errors.Count > 0
            ? Problems.Invalid(errors)
            : TypedResults.Ok(new ReferralsAnswer(await referrals.ListReferralsAsync(platform.ToLowerInvariant(), query.Status, n, cancellationToken)));
    }

    public static async Task<IResult> GetReferralAsync(string id, ClaimsPrincipal user, IReferralStore referrals, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetReferralAsync(id, cancellationToken);
        if (referral is null)
        {
            return Problems.NotFound($"No referral {id}.");
        }

        return user.MaySee(referral.Platform) ? TypedResults.Ok(referral) : Problems.Forbidden("The referral belongs to another platform.");
    }

    /// <summary>The body of <c>POST /api/referrals/{id}/status</c>.</summary>
    public sealed record StatusRequest(string? Status, string? At, string? Note);

    /// <summary>
    /// A platform's report on its referral, checked by <see cref="ReferralRules"/>: <c>400</c> for a bad field or an
    /// <c>at</c> outside the decision and now, <c>409</c> for a status that cannot follow the current one (before export,
    /// or going back). The current status sent again is answered <c>200</c> without recording it twice, unless re-checks
    /// observed it: then the platform's own report is recorded.
    /// </summary>
    public static async Task<IResult> PostStatusAsync(string id, JsonBody<StatusRequest> body, ClaimsPrincipal user, IReferralStore referrals, TimeProvider time,
        ILogger<ReferralStatusUpdate> logger, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Referral {ReferralId}", id);
        var referral = await referrals.GetReferralAsync(id, cancellationToken);
        if (referral is null)
        {
            return Problems.NotFound($"No referral {id}.");
        }

        if (!user.MaySee(referral.Platform))
        {
            return Problems.Forbidden("The referral belongs to another platform.");
        }

        if (body.Problem is { } problem)
        {
            return problem;
        }

        var (status, atText, note) = body.Value!;
        var errors = new List<FieldError>();
        if (status is null || !ReferralStatus.Reportable.Contains(status))
        {
            errors.Add(new FieldError("status", "must be one of received, removed, rejected, not_found"));
        }

        var now = time.GetUtcNow();
        var at = now;
        if (atText is not null && !ReportParser.TryParseTimestamp(atText, out at))
        {
            errors.Add(new FieldError("at", "must be an ISO 8601 date-time"));
        }
        else if (ReferralRules.CheckTime(referral, at, now) is { } badTime)
        {
            errors.Add(badTime);
        }

        if (note is { Length: > 2_000 })
        {
            errors.Add(new FieldError("note", "at most 2000 characters"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (ReferralRules.IsRepeat(referral, status!))
        {
            return TypedResults.Ok(referral);
        }

        if (ReferralRules.Conflict(referral, status!) is { } conflict)
        {
            return Problems.Conflict(conflict);
        }

        if (!await referrals.RecordStatusAsync(new ReferralStatusUpdate(id, status!, at, note, user.Actor(), referral.Status), cancellationToken))
        {
            return Problems.Conflict($"Referral {id} changed while this status was recorded; read it and send again.");
        }

        logger.LogInformation("Referral {ReferralId} status {Status} at {At} from {Actor}", id, status, at, user.Actor());

        return TypedResults.Ok(await referrals.GetReferralAsync(id, cancellationToken));
    }
}
