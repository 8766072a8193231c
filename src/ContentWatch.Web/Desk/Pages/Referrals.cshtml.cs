using Microsoft.AspNetCore.Mvc.RazorPages;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;

namespace ContentWatch.Web.Desk.Pages;

/// <summary>Referrals per platform: what each platform did with them, and one platform's batches and referrals.</summary>
public sealed class ReferralsModel(IDeskStore desk, IReferralStore referrals, IExportStore exports, OverdueService overdue) : PageModel
{
    public const int MaxListed = 200;

    public IReadOnlyList<PlatformOutcomes> Platforms { get; private set; } = [];

    public string? Platform { get; private set; }

    public IReadOnlyList<ReferralInfo> Referrals { get; private set; } = [];

    public IReadOnlyList<ExportBatch> Batches { get; private set; } = [];

    /// <summary>Referrals of every platform past their platform's service level, the most overdue first.</summary>
    public IReadOnlyList<OverdueReferral> Overdue { get; private set; } = [];

    public async Task OnGetAsync(string? platform, CancellationToken cancellationToken)
    {
        Platforms = await desk.GetPlatformOutcomesAsync(cancellationToken);
        Overdue = await overdue.ListAsync(null, cancellationToken);
        Platform = platform?.ToLowerInvariant() is { } p && ReportParser.IsPlatformName(p) ? p : Platforms.FirstOrDefault()?.Platform;
        if (Platform is not null)
        {
            Referrals = await referrals.ListReferralsAsync(Platform, null, MaxListed, cancellationToken);
            Batches = await exports.ListBatchesAsync(Platform, cancellationToken);
        }
    }
}
