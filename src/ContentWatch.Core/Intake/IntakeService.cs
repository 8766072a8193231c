using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Intake;

/// <summary>Stores reports durably, then asks the workers to classify them.</summary>
public sealed class IntakeService(IIntakeStore store, IWorkQueue workQueue, ContentWatchMetrics metrics)
{
    public async Task<IReadOnlyList<IntakeResult>> StoreAsync(IReadOnlyList<ReportInput> reports, string source, ScanMark? taken, CancellationToken cancellationToken)
    {
        if (reports.Count == 0 && taken is null)
        {
            return [];
        }

        var results = await store.StoreReportsAsync(reports, source, taken, cancellationToken);
        metrics.ReportsAccepted(results.Count, source);
        if (results.Any(r => r.DuplicateOf is null))
        {
            workQueue.ClassificationNeeded();
        }

        return results;
    }
}
