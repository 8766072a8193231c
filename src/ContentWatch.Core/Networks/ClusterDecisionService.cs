using ContentWatch.Core.Review;

namespace ContentWatch.Core.Networks;

/// <summary>One member's part of a cluster decision.</summary>
public sealed record ClusterItemDecision(string ItemId, string Decision, string? ReferralId, string Outcome, string? Message);

/// <summary>
/// One decision for a whole cluster: every member no officer has decided on (pending, in review or dismissed) gets the
/// decision through <see cref="ReviewService"/>, each as its own audited record naming the cluster, each confirmation
/// with the item's own referral (one per URL). Members are decided one transaction each, so a request cut short is
/// finished by sending it again: decided members are no longer open.
/// </summary>
public sealed class ClusterDecisionService(INetworkStore networks, ReviewService review)
{
    /// <summary>Members decided per request; a larger cluster takes several.</summary>
    public const int MaxItems = 1_000;

    /// <summary>The decisions made, or null when the cluster does not exist.</summary>
    public async Task<IReadOnlyList<ClusterItemDecision>?> DecideAsync(string clusterId, DecisionRequest request, string actor, CancellationToken cancellationToken)
    {
        if (await networks.GetClusterAsync(clusterId, 0, 0, cancellationToken) is null)
        {
            return null;
        }

        var decided = new List<ClusterItemDecision>();
        foreach (var itemId in await networks.GetOpenMembersAsync(clusterId, MaxItems, cancellationToken))
        {
            var result = await review.DecideAsync(itemId, request, actor, clusterId, cancellationToken);
            decided.Add(new ClusterItemDecision(itemId, request.Decision!, result.ReferralId, result.Outcome switch
            {
                DecisionOutcome.Recorded => "recorded",
                DecisionOutcome.ItemNotFound => "not_found",
                _ => "conflict",
            }, result.Message));
        }

        return decided;
    }
}
