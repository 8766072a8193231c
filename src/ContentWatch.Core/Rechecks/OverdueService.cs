using Microsoft.Extensions.Options;
using ContentWatch.Core.Delivery;

namespace ContentWatch.Core.Rechecks;

/// <summary>
/// Referrals past their platform's service level: notified (exported) and still open when the level runs out. Each is
/// listed (API, desk) and, when the platform has a webhook, reminded once through it.
/// </summary>
public sealed class OverdueService(IRecheckStore store, IDeliveryStore deliveries, DeliveryService delivery, IOptions<RecheckOptions> options, TimeProvider time)
{
    /// <summary>Overdue referrals, of one platform or of all, the most overdue first.</summary>
    public async Task<IReadOnlyList<OverdueReferral>> ListAsync(string? platform, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var shortest = o.PlatformSlaHours.Values.Append(o.SlaHours).Min();
        var notified = await store.NotifiedOpenAsync(now - TimeSpan.FromHours(shortest), cancellationToken);
        return notified
            .Where(r => platform is null || r.Platform == platform)
            .Select(r => (Referral: r, Due: r.NoticeSentAt + o.SlaFor(r.Platform)))
            .Where(r => r.Due < now)
            .OrderBy(r => r.Due)
            .Select(r => new OverdueReferral(
                r.Referral.ReferralId, r.Referral.ItemId, r.Referral.Platform, r.Referral.Url, r.Referral.Category, r.Referral.Status,
                r.Referral.ExportId, r.Referral.NoticeSentAt, r.Due, Math.Round((now - r.Due).TotalHours, 2), r.Referral.RemindedAt))
            .ToList();
    }

    /// <summary>Sends one reminder per platform with a webhook, naming its overdue referrals not reminded yet. Returns how many referrals were named.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var reminded = 0;
        foreach (var group in (await ListAsync(null, cancellationToken)).Where(r => r.RemindedAt is null).GroupBy(r => r.Platform))
        {
            if (await deliveries.GetWebhookAsync(group.Key, cancellationToken) is null)
            {
                continue;
            }

            var referrals = group.ToList();
            var body = new
            {
                type = "referrals.overdue",
                platform = group.Key,
                at = time.GetUtcNow(),
                referrals = referrals.Select(r => new { r.ReferralId, r.Url, r.Category, r.Status, r.ExportId, r.NoticeSentAt, r.DueAt }),
            };
            await delivery.RemindAsync(group.Key, body, referrals.Select(r => r.ReferralId).ToList(), cancellationToken);
            reminded += referrals.Count;
        }

        return reminded;
    }
}
