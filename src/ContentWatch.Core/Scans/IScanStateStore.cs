namespace ContentWatch.Core.Scans;

/// <summary>What each scan source has already taken (marks are written by <see cref="Intake.IIntakeStore"/> with the reports).</summary>
public interface IScanStateStore
{
    Task<bool> HasTakenAsync(string source, string key, CancellationToken cancellationToken);
}
