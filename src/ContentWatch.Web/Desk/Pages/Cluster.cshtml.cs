using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Web.Access;
using ContentWatch.Web.Apis;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>A near-duplicate cluster: its template and what varies, its members, and one decision for every open member.</summary>
public sealed class ClusterModel(INetworkStore networks, IndicatorExtractor extractor, ClusterDecisionService clusters, ILogger<ClusterModel> logger) : PageModel
{
    public ClusterDetails Cluster { get; private set; } = null!;

    public ClusterTemplate Template { get; private set; } = new("", []);

    public List<FieldError> Errors { get; } = [];

    public DecisionRequest? Posted { get; private set; }

    /// <summary>How many members the decision just made covered, shown after the redirect.</summary>
    public int? Decided { get; private set; }

    public int Open => Cluster.Members.Count(m => m.Status is ItemStatus.Pending or ItemStatus.InReview or ItemStatus.Dismissed);

    public async Task<IActionResult> OnGetAsync(string id, int? decided, CancellationToken cancellationToken)
    {
        Decided = decided is >= 0 and <= ClusterDecisionService.MaxItems ? decided : null;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? decision, string? category, string? reason, CancellationToken cancellationToken)
    {
        Posted = new DecisionRequest(decision, decision == Decisions.Reject && string.IsNullOrEmpty(category) ? null : category, reason);
        Errors.AddRange(ReviewService.Validate(Posted));
        if (Errors.Count == 0)
        {
            var made = await clusters.DecideAsync(id, Posted, User.Actor(), cancellationToken);
            if (made is null)
            {
                return NotFound();
            }

            logger.LogInformation("Desk cluster decision {Decision} on cluster {ClusterId} by {Actor}: {Count} items", Posted.Decision, id, User.Actor(), made.Count);
            return Redirect($"/desk/clusters/{id}?decided={made.Count}");
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var cluster = await networks.GetClusterAsync(id, NetworksApi.ClusterMembersShown, NetworksApi.TemplateTextLength, cancellationToken);
        if (cluster is null)
        {
            return false;
        }

        Cluster = cluster;
        Template = ClusterTemplate.From([.. cluster.Members.Select(m => m.Text)], extractor);
        return true;
    }
}
