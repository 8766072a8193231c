using System.Text.Json;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Telemetry;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", PostReportsAsync).RequireAuthorization(AccessPolicies.Intake)
            .Produces<ReportsAccepted>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
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

        // ReportParser, not a typed record bound by JsonBody<T>: System.Text.Json stops at the first value of the wrong
        // type, so a record could not name every bad field of every report in a batch ([1].platform, [1].url, [1].text
        // in one answer, pinned by BadInputTests); and files and feeds read reports through the same parser.
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
