namespace ContentWatch.Core;

/// <summary>Asks the background workers for work. The database stays the source of truth: a lost request is made good by the sweep.</summary>
public interface IWorkQueue
{
    /// <summary>Pending items are waiting to be classified.</summary>
    void ClassificationNeeded();
}
