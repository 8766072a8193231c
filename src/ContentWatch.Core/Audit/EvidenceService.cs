using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentWatch.Core.Review;

namespace ContentWatch.Core.Audit;

/// <summary>
/// Seals the evidence of a confirmed item when it is referred: its text, URL, every report and the model's verdict, with
/// the officer's decision, as one JSON document and its SHA-256. A snapshot is written once and never replaced.
/// </summary>
public sealed class EvidenceService(IReviewStore items, IAuditStore store, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Sha256(string snapshot) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshot)));

    /// <summary>Seals the referral's snapshot unless it has one. False when the item is gone or a snapshot exists.</summary>
    public async Task<bool> SealAsync(string referralId, string itemId, CancellationToken cancellationToken)
    {
        var item = await items.GetItemAsync(itemId, cancellationToken);
        if (item is null)
        {
            return false;
        }

        var reports = await items.GetReportsAsync(itemId, cancellationToken);
        var decision = (await items.GetAuditAsync(itemId, cancellationToken)).FirstOrDefault(a => a.ReferralId == referralId);
        var sealedAt = time.GetUtcNow();
        var document = JsonSerializer.Serialize(new
        {
            referralId,
            sealedAt,
            item = new
            {
                item.Id, item.Platform, item.Url, item.Kind, item.Text, item.TextSha256, item.Title, item.Language, item.Author,
                item.ExternalId, item.PostedAt, item.FirstReportedAt, item.LastReportedAt, item.ReportCount,
            },
            reports,
            verdict = item.Verdict,
            decision,
        }, Json);
        return await store.SealAsync(new EvidenceSnapshot(referralId, itemId, sealedAt, Sha256(document), document), cancellationToken);
    }

    /// <summary>Seals what a crash left unsealed; returns how many.</summary>
    public async Task<int> SealMissingAsync(CancellationToken cancellationToken)
    {
        var sealedNow = 0;
        foreach (var (referralId, itemId) in await store.UnsealedAsync(500, cancellationToken))
        {
            sealedNow += await SealAsync(referralId, itemId, cancellationToken) ? 1 : 0;
        }

        return sealedNow;
    }
}
