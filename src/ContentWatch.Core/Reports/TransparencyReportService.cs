using Microsoft.Extensions.Options;
using ContentWatch.Core.Export;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Referral;

namespace ContentWatch.Core.Reports;

/// <summary>
/// The yearly (or any period's) report on the unit's notices (DSA Article 22(3)): per platform, category and language,
/// notices sent, their outcomes, the removal rate as reported and as observed, median and 90th-percentile time to
/// removal, referrals overdue now, and the precision of automated flags as officers measured it.
/// </summary>
public sealed class TransparencyReportService(ITransparencyStore store, IOptions<RecheckOptions> sla, IOptions<ExportOptions> export, TimeProvider time)
{
    public const string All = "*";

    public async Task<TransparencyReport> BuildAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var notices = await store.NoticesAsync(from, to, cancellationToken);
        var flags = await store.FlagDecisionsAsync(from, to, cancellationToken);
        var now = time.GetUtcNow();
        var keys = notices.Select(n => (n.Platform, n.Category, Lang(n.Language)))
            .Concat(flags.Select(f => (f.Platform, f.Label ?? "unknown", Lang(f.Language))))
            .Distinct()
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal).ThenBy(k => k.Item3, StringComparer.Ordinal)
            .ToList();
        var lines = keys.Select(k => Line(k.Item1, k.Item2, k.Item3,
            notices.Where(n => n.Platform == k.Item1 && n.Category == k.Item2 && Lang(n.Language) == k.Item3),
            flags.Where(f => f.Platform == k.Item1 && (f.Label ?? "unknown") == k.Item2 && Lang(f.Language) == k.Item3), now)).ToList();
        var platforms = keys.Select(k => k.Item1).Distinct().Select(p => Line(p, All, All,
            notices.Where(n => n.Platform == p), flags.Where(f => f.Platform == p), now)).ToList();
        return new TransparencyReport(from, to, now, export.Value.NotifierName, lines, platforms, Line(All, All, All, notices, flags, now));
    }

    private TransparencyLine Line(string platform, string category, string language, IEnumerable<NoticeOutcome> notices, IEnumerable<FlagDecision> flags, DateTimeOffset now)
    {
        var n = notices.ToList();
        var removed = n.Where(x => x.Status == ReferralStatus.Removed).ToList();
        var observed = removed.Count(x => x.StatusSource == StatusSource.Observed);
        var hours = removed.Where(x => x.StatusAt is not null)
            .Select(x => Math.Max(0, (x.StatusAt!.Value - x.NoticeSentAt).TotalHours)).Order().ToList();
        var overdue = n.Count(x => x.Status is ReferralStatus.Exported or ReferralStatus.Received && x.NoticeSentAt + sla.Value.SlaFor(x.Platform) < now);
        var f = flags.ToList();
        var confirmed = f.Count(x => x.Decision == Review.Decisions.Confirm);
        var rejected = f.Count(x => x.Decision == Review.Decisions.Reject);
        return new TransparencyLine(
            platform, category, language, n.Count,
            n.GroupBy(x => x.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            removed.Count - observed, observed,
            Rate(removed.Count, n.Count), Rate(removed.Count - observed, n.Count), Rate(observed, n.Count),
            Percentile(hours, 0.5), Percentile(hours, 0.9), overdue,
            confirmed, rejected, Rate(confirmed, confirmed + rejected));
    }

    private static string Lang(string? language) => string.IsNullOrWhiteSpace(language) ? "und" : language;

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>The <paramref name="p"/> quantile of sorted values, linear between the two nearest ranks; null when empty.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return Math.Round(sorted[low] + ((sorted[high] - sorted[low]) * (rank - low)), 2);
    }
}
