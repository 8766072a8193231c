using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Jobs;

public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>Runs the Hangfire server (classification, exports, scans) in this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron of the sweep that re-enqueues classification of items a lost job left pending.</summary>
    [Required]
    public string SweepCron { get; set; } = "* * * * *";
}
