using System.Text.Json;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Telemetry;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", PostReportsAsync).RequireAuthorization(AccessPolicies.Intake);
        return app;
    }

    private const string Source = "api";

    public sealed record ItemAccepted(string Id, string? DuplicateOf, string ReportId);

    public sealed record ReportsAccepted(IReadOnlyList<ItemAccepted> Items);

    /// <summary>Takes one report or an array of up to 1,000; all are stored before the answer, or none.</summary>
    public static async Task<IResult> PostReportsAsync(JsonBody<JsonElement> body, IntakeService intake, ContentWatchMetrics metrics, CancellationToken cancellationToken)
    {
        if (body.Problem is { } problem)
        {
            metrics.ReportsRejected(1, Source);
            return problem;
        }

        // ReportParser, not a typed record: files and feeds share it, and it names every bad field, type errors included.
        var (reports, errors) = ReportParser.ParseBody(body.Value);
        if (errors.Count > 0)
        {
            metrics.ReportsRejected(1, Source);
            return Problems.Invalid(errors);
        }

        var results = await intake.StoreAsync(reports, Source, null, cancellationToken);
        return TypedResults.Accepted((string?)null, new ReportsAccepted([.. results.Select(r => new ItemAccepted(r.ItemId, r.DuplicateOf, r.ReportId))]));
    }
}
