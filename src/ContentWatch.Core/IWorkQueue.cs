namespace ContentWatch.Core;

/// <summary>Asks the background workers for work. The database stays the source of truth: a lost request is made good by the sweep.</summary>
public interface IWorkQueue
{
    /// <summary>Pending items are waiting to be classified.</summary>
    void ClassificationNeeded();

    /// <summary>A rescore run's batches 1 to <paramref name="batches"/> are waiting (nothing here: a worker's sweep finds them).</summary>
    void RescoreNeeded(string runId, int batches)
    {
        for (var batch = 1; batch <= batches; batch++)
        {
            RescoreBatchNeeded(runId, batch, batches);
        }
    }

    /// <summary>One batch of a rescore run is waiting (nothing here: a worker's sweep finds it).</summary>
    void RescoreBatchNeeded(string runId, int batch, int batches)
    {
    }
}
