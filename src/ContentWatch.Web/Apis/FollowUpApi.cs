using System.Globalization;
using System.Security.Claims;
using System.Text;
using ContentWatch.Core.Access;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Web.Access;
using ContentWatch.Web.Reports;

namespace ContentWatch.Web.Apis;

/// <summary>Overdue referrals, sealed evidence and the transparency report.</summary>
public static class FollowUpApi
{
    public static IEndpointRouteBuilder MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/referrals/overdue", ListOverdueAsync).RequireAuthorization(AccessPolicies.Platform).Produces<OverdueAnswer>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet("/api/referrals/{id}/evidence", GetEvidenceAsync).RequireAuthorization(AccessPolicies.Officer)
            .Produces<EvidenceSnapshot>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/reports/transparency", GetTransparencyAsync).RequireAuthorization(AccessPolicies.Officer)
            .Produces<TransparencyReport>(StatusCodes.Status200OK, "application/json", "text/csv", "text/html")
            .ProducesValidationProblem();
        return app;
    }

    public sealed record OverdueAnswer(IReadOnlyList<OverdueReferral> Items);

    /// <summary>Referrals past their platform's service level, the most overdue first; a platform key sees its own only.</summary>
    public static async Task<IResult> ListOverdueAsync(string? platform, ClaimsPrincipal user, OverdueService overdue, CancellationToken cancellationToken)
    {
        if (Problems.CheckPlatform(platform) is { } bad)
        {
            return Problems.Invalid([bad]);
        }

        if (user.IsInRole(Roles.Platform))
        {
            var own = user.FindFirstValue(ApiKeyAuthenticationHandler.PlatformClaim);
            if (platform is not null && !string.Equals(platform, own, StringComparison.OrdinalIgnoreCase))
            {
                return Problems.Forbidden("This key is bound to another platform.");
            }

            platform = own;
        }

        return TypedResults.Ok(new OverdueAnswer(await overdue.ListAsync(platform?.ToLowerInvariant(), cancellationToken)));
    }

    public static async Task<IResult> GetEvidenceAsync(string id, IAuditStore store, CancellationToken cancellationToken) =>
        await store.GetSnapshotAsync(id, cancellationToken) is { } snapshot
            ? TypedResults.Ok(snapshot)
            : Problems.NotFound($"Referral {id} has no sealed evidence.");

    /// <summary>The transparency report for [from, to) (default: the last 365 days) as JSON, CSV or printable HTML.</summary>
    public static async Task<IResult> GetTransparencyAsync(
        string? from, string? to, string? format, TransparencyReportService reports, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var end = time.GetUtcNow();
        if (to is not null)
        {
            if (ReportParser.TryParseTimestamp(to, out var parsed))
            {
                end = parsed;
            }
            else
            {
                errors.Add(new FieldError("to", "must be an ISO 8601 date or date-time"));
            }
        }

        var start = end.AddDays(-365);
        if (from is not null && !ReportParser.TryParseTimestamp(from, out start))
        {
            errors.Add(new FieldError("from", "must be an ISO 8601 date or date-time"));
        }
        else if (start >= end)
        {
            errors.Add(new FieldError("from", "must be before 'to'"));
        }

        if (format is not (null or "json" or "csv" or "html"))
        {
            errors.Add(new FieldError("format", "must be 'json', 'csv' or 'html'"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var report = await reports.BuildAsync(start, end, cancellationToken);
        switch (format)
        {
            case "csv":
                var writer = new StringWriter(CultureInfo.InvariantCulture);
                await TransparencyCsv.WriteAsync(report, writer, cancellationToken);
                return TypedResults.File(Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", "contentwatch-transparency.csv");
            case "html":
                return TypedResults.Content(TransparencyHtml.Render(report), "text/html; charset=utf-8");
            default:
                return TypedResults.Ok(report);
        }
    }
}
