using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

/// <summary>Per-platform referral queues, export batches and the platforms' reports back.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        var platforms = app.MapGroup("/api/platforms/{platform}")
            .RequireAuthorization(AccessPolicies.Platform)
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.User.MaySee((string)context.HttpContext.Request.RouteValues["platform"]!)
                    ? await next(context)
                    : Problems.Forbidden("This key is bound to another platform."));
        platforms.MapPost("/exports", CreateExportAsync);
        platforms.MapGet("/exports", ListExportsAsync);
        platforms.MapGet("/exports/{id}", GetExportAsync);
        platforms.MapGet("/referrals", ListReferralsAsync);
        var referrals = app.MapGroup("/api/referrals/{id}").RequireAuthorization(AccessPolicies.Platform);
        referrals.MapGet("", GetReferralAsync);
        referrals.MapPost("/status", PostStatusAsync);
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

    public static async Task<IResult> ListReferralsAsync(string platform, string? status, string? limit, IReferralStore referrals, CancellationToken cancellationToken)
    {
        if (Problems.ParseLimit(limit, 100, out var n) is { } error)
        {
            return error;
        }

        return TypedResults.Ok(new ReferralsAnswer(await referrals.ListReferralsAsync(platform.ToLowerInvariant(), status, n, cancellationToken)));
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

    public static async Task<IResult> PostStatusAsync(string id, HttpRequest request, ClaimsPrincipal user, IReferralStore referrals, TimeProvider time, CancellationToken cancellationToken)
    {
        var referral = await referrals.GetReferralAsync(id, cancellationToken);
        if (referral is null)
        {
            return Problems.NotFound($"No referral {id}.");
        }

        if (!user.MaySee(referral.Platform))
        {
            return Problems.Forbidden("The referral belongs to another platform.");
        }

        var (document, problem) = await Problems.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var body = document!.RootElement;
            var errors = body.NonStrings("status", "at", "note").ToList();
            var status = body.GetString("status");
            if (status is null || !ReferralStatus.Reportable.Contains(status))
            {
                errors.Add(new FieldError("status", "must be one of received, removed, rejected, not_found"));
            }

            var at = time.GetUtcNow();
            if (body.GetString("at") is { } atText && !ReportParser.TryParseTimestamp(atText, out at))
            {
                errors.Add(new FieldError("at", "must be an ISO 8601 date-time"));
            }

            var note = body.GetString("note");
            if (note is { Length: > 2_000 })
            {
                errors.Add(new FieldError("note", "at most 2000 characters"));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            await referrals.RecordStatusAsync(new ReferralStatusUpdate(id, status!, at, note, user.Actor()), cancellationToken);
            return TypedResults.Ok(await referrals.GetReferralAsync(id, cancellationToken));
        }
    }
}
