namespace ContentWatch.Jobs;

/// <summary>
/// How this node runs Hangfire. With a SQL Server connection string the jobs live in that database (schema
/// <see cref="HangfireSchema"/>) and every node shares them; without one they live in this process's memory and nodes
/// share work only through the database's claims.
/// </summary>
public sealed record JobsSetup(string? SqlServerConnectionString, bool RunsWorker)
{
    public const string HangfireSchema = "HangFire";

    /// <summary>Jobs enqueued here reach every node's workers.</summary>
    public bool SharedStorage => SqlServerConnectionString is not null;

    /// <summary>The dashboard shows something only where the jobs are shared or run in this process.</summary>
    public bool HasDashboard => SharedStorage || RunsWorker;
}
