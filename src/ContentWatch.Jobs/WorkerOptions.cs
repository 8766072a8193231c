using System.ComponentModel.DataAnnotations;

namespace ContentWatch.Jobs;

/// <summary>The Hangfire server of a node with the worker role.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron of the sweep that re-enqueues classification of items a lost job left pending.</summary>
    [Required]
    public string SweepCron { get; set; } = "* * * * *";

    /// <summary>Seconds between this worker's looks at the database for pending items (stored by any node).</summary>
    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>
    /// With SQL Server, whether this worker sets the cluster's scan schedule from its own <c>Scans</c> settings: it adds
    /// the folder and feed scans named there and removes the scan jobs they no longer name. A worker that does not own
    /// it leaves the scan jobs as they are. With SQLite each node's schedule is its own, and the node always sets it.
    /// </summary>
    public bool OwnsScanSchedule { get; set; }
}
