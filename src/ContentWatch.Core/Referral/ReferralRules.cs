using ContentWatch.Core.Intake;
using ContentWatch.Core.Rechecks;

namespace ContentWatch.Core.Referral;

/// <summary>What a platform may report on a referral, and when.</summary>
public static class ReferralRules
{
    /// <summary>How far ahead of this server's clock a platform's <c>at</c> may be.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The statuses each status may move to. Nothing before export (the platform has not been sent the notice);
    /// <c>removed</c> and <c>not_found</c> are final; a platform that rejected may still remove. Reporting the current
    /// status again is a repeat, answered without recording anything.
    /// </summary>
    private static readonly Dictionary<string, string[]> Next = new(StringComparer.Ordinal)
    {
        [ReferralStatus.Pending] = [],
        [ReferralStatus.Exported] = [ReferralStatus.Received, ReferralStatus.Removed, ReferralStatus.Rejected, ReferralStatus.NotFound],
        [ReferralStatus.Received] = [ReferralStatus.Removed, ReferralStatus.Rejected, ReferralStatus.NotFound],
        [ReferralStatus.Rejected] = [ReferralStatus.Removed],
        [ReferralStatus.Removed] = [],
        [ReferralStatus.NotFound] = [],
    };

    public static bool MayMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>
    /// True when the platform sends the status it already has: a repeat, answered without recording it. A status that
    /// ContentWatch's re-checks set (<see cref="StatusSource.Observed"/>) is no repeat: the platform's own report of it
    /// is recorded, and the status becomes the platform's.
    /// </summary>
    public static bool IsRepeat(ReferralInfo referral, string status)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return referral.Status == status && referral.Source != StatusSource.Observed;
    }

    /// <summary>Why <paramref name="status"/> cannot follow the referral's current status, or null.</summary>
    public static string? Conflict(ReferralInfo referral, string status)
    {
        ArgumentNullException.ThrowIfNull(referral);
        if (MayMove(referral.Status, status) || (referral.Status == status && referral.Source == StatusSource.Observed))
        {
            return null;
        }

        return referral.Status == ReferralStatus.Pending
            ? $"Referral {referral.Id} has not been exported yet; a status is taken only after the platform was sent the notice."
            : $"Referral {referral.Id} is '{referral.Status}'; it cannot become '{status}'.";
    }

    /// <summary>The time a status happened must lie between the decision and now (plus <see cref="ClockSkew"/>).</summary>
    public static FieldError? CheckTime(ReferralInfo referral, DateTimeOffset at, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(referral);
        if (at < referral.CreatedAt)
        {
            return new FieldError("at", $"is before the decision ({referral.CreatedAt:O}); give when the platform acted");
        }

        return at > now + ClockSkew ? new FieldError("at", "is in the future") : null;
    }
}
