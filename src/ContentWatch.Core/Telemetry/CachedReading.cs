using Microsoft.Extensions.Logging;

namespace ContentWatch.Core.Telemetry;

/// <summary>
/// A value read from the database for a gauge. A gauge's callback may not wait for I/O, so <see cref="Current"/> answers
/// the last value read at once and, when it is older than the maximum age, starts one read in the background: a
/// collection sees the value read for the collection before it, and an idle meter reads nothing.
/// </summary>
public sealed class CachedReading<T>(Func<CancellationToken, Task<T>> read, TimeProvider time, TimeSpan maxAge, ILogger logger)
    where T : class
{
    private T? _value;
    private long _readAt = long.MinValue;
    private int _reading;

    /// <summary>A read is running.</summary>
    public bool IsReading => Volatile.Read(ref _reading) == 1;

    /// <summary>The last value read, or null before the first read finished.</summary>
    public T? Current()
    {
        var readAt = Interlocked.Read(ref _readAt);
        if ((readAt == long.MinValue || time.GetElapsedTime(readAt) >= maxAge) && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return Volatile.Read(ref _value);
    }

    private async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _value, await read(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            // the gauge keeps its last value; the next collection after maxAge tries again
            logger.LogWarning(e, "Reading {What} for the metrics failed", typeof(T).Name);
        }
        finally
        {
            Interlocked.Exchange(ref _readAt, time.GetTimestamp());
            Volatile.Write(ref _reading, 0);
        }
    }
}
