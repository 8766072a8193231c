using Microsoft.AspNetCore.Http.HttpResults;
using ContentWatch.Core.Intake;
using ContentWatch.Web.Access;

namespace ContentWatch.Web.Apis;

public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", PostReportsAsync).RequireAuthorization(AccessPolicies.Intake);
        return app;
    }

    public sealed record ItemAccepted(string Id, string? DuplicateOf, string ReportId);

    public sealed record ReportsAccepted(IReadOnlyList<ItemAccepted> Items);

    /// <summary>Takes one report or an array of up to 1,000; all are stored before the answer, or none.</summary>
    public static async Task<IResult> PostReportsAsync(HttpRequest request, IntakeService intake, CancellationToken cancellationToken)
    {
        var (document, problem) = await Problems.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var (reports, errors) = ReportParser.ParseBody(document!.RootElement);
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var results = await intake.StoreAsync(reports, "api", null, cancellationToken);
            return TypedResults.Accepted((string?)null, new ReportsAccepted([.. results.Select(r => new ItemAccepted(r.ItemId, r.DuplicateOf, r.ReportId))]));
        }
    }
}
