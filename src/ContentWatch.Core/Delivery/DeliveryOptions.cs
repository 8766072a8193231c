using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Core.Delivery;

/// <summary>Push delivery of export batches and reminders to the platforms' webhooks.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Seconds before the first retry; each later retry waits twice as long (capped), plus up to half again at random.</summary>
    [Range(1, 86_400)]
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary>The longest wait between two attempts.</summary>
    [Range(1, 86_400)]
    public int MaxRetryDelaySeconds { get; set; } = 3_600;

    /// <summary>Hours of retries (from the first attempt, or a manual re-send) before a delivery is dead-lettered.</summary>
    [Range(1, 24 * 30)]
    public int GiveUpHours { get; set; } = 24;

    /// <summary>Hours a rotated-out secret still signs, beside the new one, so the platform can switch without losing messages.</summary>
    [Range(0, 24 * 30)]
    public int RotationGraceHours { get; set; } = 24;

    /// <summary>Cron (UTC) of the sweep that queues new batches, due retries, overdue reminders and missing evidence seals.</summary>
    [Required]
    public string SweepCron { get; set; } = "* * * * *";
}
