using Microsoft.Data.SqlClient;

namespace ContentWatch.Storage.SqlServer;

/// <summary>
/// Runs a whole unit of work (a transaction from its start) again when SQL Server fails it for a reason that passes:
/// a deadlock, a timeout, a dropped connection or an Azure SQL throttle. The wait doubles from attempt to attempt, with
/// random jitter so that workers that failed together do not come back together. Never retries a single statement.
/// </summary>
public sealed class SqlRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, Func<TimeSpan, CancellationToken, Task> delay)
{
    /// <summary>Error numbers that say "try again": deadlock victim, client timeout, Azure SQL throttling and failover, broken connections.</summary>
    public static readonly IReadOnlySet<int> TransientErrorNumbers = new HashSet<int>
    {
        1205,                                  // chosen as deadlock victim
        -2,                                    // client-side timeout
        4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929,   // Azure SQL: database unavailable, busy, throttled
        233, 64, 10053, 10054, 10060,          // connection broken or refused
    };

    /// <summary>Five attempts, waits of about 0.1, 0.2, 0.4 and 0.8 s.</summary>
    public static SqlRetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), Task.Delay);

    public int MaxAttempts { get; } = maxAttempts >= 1 ? maxAttempts : throw new ArgumentOutOfRangeException(nameof(maxAttempts));

    /// <summary>True for a <see cref="SqlException"/> that carries a transient error number.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => TransientErrorNumbers.Contains(e.Number));

    /// <summary>True for a unique index (2601) or unique constraint (2627) violation.</summary>
    public static bool IsDuplicateKey(Exception exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => e.Number is 2601 or 2627);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: base x 2^(attempt-1), capped, times a jitter in [0.5, 1).</summary>
    public TimeSpan DelayAfter(int attempt, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(exponential, maxDelay.TotalMilliseconds) * (0.5 + (jitter / 2)));
    }

    public Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ExecuteAsync(work, IsTransient, cancellationToken);

    /// <summary>Runs <paramref name="work"/>, again after a failure <paramref name="retryOn"/> accepts, at most <see cref="MaxAttempts"/> times.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> work, Func<Exception, bool> retryOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(retryOn);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && e is not OperationCanceledException && retryOn(e))
            {
                await delay(DelayAfter(attempt, Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
