using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Rechecks;

/// <summary>Takedown re-checks of open referrals and the platforms' service levels.</summary>
public sealed class RecheckOptions
{
    public const string Section = "Rechecks";

    /// <summary>Cron (UTC) of the recurring re-check pass.</summary>
    [Required]
    public string Cron { get; set; } = "0 * * * *";

    /// <summary><c>gone</c> checks in a row after which a referral is marked removed (observed).</summary>
    [Range(1, 100)]
    public int GoneAfter { get; set; } = 2;

    /// <summary>Milliseconds between two requests to the same host; one request at a time per host.</summary>
    [Range(0, 600_000)]
    public int PerHostDelayMilliseconds { get; set; } = 2_000;

    /// <summary>Referrals checked per pass at most, the longest unchecked first.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerPass { get; set; } = 2_000;

    /// <summary>Hosts checked at the same time (each host one request at a time).</summary>
    [Range(1, 64)]
    public int ParallelHosts { get; set; } = 4;

    /// <summary>Hours a platform has from the notice to take content down, unless <see cref="PlatformSlaHours"/> names it.</summary>
    [Range(0.0001, 24 * 365)]
    public double SlaHours { get; set; } = 24;

    /// <summary>Per platform (lower-case name), its own service level in hours.</summary>
    public Dictionary<string, double> PlatformSlaHours { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan SlaFor(string platform) => TimeSpan.FromHours(PlatformSlaHours.GetValueOrDefault(platform, SlaHours));
}
