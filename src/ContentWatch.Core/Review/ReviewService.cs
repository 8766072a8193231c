using ContentWatch.Core.Audit;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace ContentWatch.Core.Review;

/// <summary>An officer's decision as sent; checked by <see cref="ReviewService.Validate"/>.</summary>
public sealed record DecisionRequest(string? Decision, string? Category, string? Reason);

/// <summary>
/// Checks decisions and records them with the explanation the platform will read. A confirmation seals the evidence
/// and puts the item's indicators on the watchlist, citing the decision (should either step be cut short, the sweep
/// makes it good).
/// </summary>
public sealed class ReviewService(IReviewStore store, EvidenceService evidence, IWatchlistStore watchlist, ContentWatchMetrics metrics, ILogger<ReviewService> logger)
{
    public const int MaxReasonLength = 2_000;

    public static IReadOnlyList<FieldError> Validate(DecisionRequest request)
    {
        var errors = new List<FieldError>();
        if (request.Decision is not (Decisions.Confirm or Decisions.Reject))
        {
            errors.Add(new FieldError("decision", "must be 'confirm' or 'reject'"));
        }

        if (request.Decision == Decisions.Confirm && !(Labels.IsValid(request.Category) && request.Category != Labels.Benign))
        {
            errors.Add(new FieldError("category", "a confirm needs the harmful label: smuggling_service, document_fraud or fake_job_offer"));
        }
        else if (request.Category is not null && !Labels.IsValid(request.Category))
        {
            errors.Add(new FieldError("category", "must be one of smuggling_service, document_fraud, fake_job_offer, benign"));
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add(new FieldError("reason", "is required: say why, it goes into the audit and the notice"));
        }
        else if (request.Reason.Length > MaxReasonLength)
        {
            errors.Add(new FieldError("reason", $"is {request.Reason.Length} characters long; at most {MaxReasonLength} are allowed"));
        }

        return errors;
    }

    /// <summary>Records a decision that passed <see cref="Validate"/>.</summary>
    public Task<DecisionResult> DecideAsync(string itemId, DecisionRequest request, string actor, CancellationToken cancellationToken) =>
        DecideAsync(itemId, request, actor, null, cancellationToken);

    /// <summary>
    /// Records a decision that passed <see cref="Validate"/>; <paramref name="clusterId"/> when it was taken for the
    /// item's whole cluster. A confirmation's evidence is sealed right after, then its indicators are watched.
    /// </summary>
    public async Task<DecisionResult> DecideAsync(string itemId, DecisionRequest request, string actor, string? clusterId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Item {ItemId}", itemId);
        var category = request.Decision == Decisions.Confirm ? request.Category! : request.Category ?? Labels.Benign;
        var command = new DecisionCommand(itemId, request.Decision!, category, request.Reason!.Trim(), actor, clusterId);
        var result = await store.RecordDecisionAsync(command, Explain(category, command.Reason), cancellationToken);
        if (result is { Outcome: DecisionOutcome.Recorded, ReferralId: { } referralId })
        {
            await evidence.SealAsync(referralId, itemId, cancellationToken);
        }

        metrics.Decided(command.Decision, result.Outcome);
        // the reason is the officer's own words and may quote the reported text: it stays in the audit, not the log
        logger.LogInformation("Decision {Decision} ({Category}) on item {ItemId} by {Actor}: {Outcome}; referral {ReferralId}",
            command.Decision, category, itemId, actor, result.Outcome, result.ReferralId);
        if (result.Outcome == DecisionOutcome.Recorded && request.Decision == Decisions.Confirm)
        {
            await watchlist.AddConfirmedAsync(itemId, cancellationToken);
        }

        return result;
    }

    /// <summary>The substantiated explanation of a notice (DSA Article 16(2)(a)).</summary>
    public static string Explain(string category, string reason)
    {
        var ground = category switch
        {
            Labels.SmugglingService =>
                "offers to move people across borders irregularly (migrant smuggling). Facilitating unauthorised entry, transit or residence is a criminal offence under Directive 2002/90/EC and the UN Protocol against the Smuggling of Migrants, and the offer breaches the platform's terms on illegal activity.",
            Labels.DocumentFraud =>
                "offers forged or fraudulently obtained identity, travel or residence documents. Making, selling or using such documents is a criminal offence in EU Member States and the UK, and the offer breaches the platform's terms on illegal goods and services.",
            Labels.FakeJobOffer =>
                "is a fraudulent job offer that lures people into paying for, or travelling to, work that does not exist. Recruitment fraud is illegal under fraud and anti-trafficking laws and breaches the platform's terms on scams.",
            _ => "was assessed by an officer.",
        };
        return $"The content at this URL {ground} Officer's assessment: {reason}";
    }
}
