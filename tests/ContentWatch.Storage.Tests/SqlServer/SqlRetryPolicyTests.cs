using ContentWatch.Storage.SqlServer;

namespace ContentWatch.Storage.Tests.SqlServer;

public sealed class SqlRetryPolicyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);

    private readonly List<TimeSpan> waits = [];

    private SqlRetryPolicy Policy(int attempts = 4) =>
        new(attempts, Base, TimeSpan.FromSeconds(1), (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        });

    /// <summary>Fails with <paramref name="failures"/> in turn, then answers the attempt number.</summary>
    private static Func<CancellationToken, Task<int>> FailingWith(params Exception[] failures)
    {
        var attempt = 0;
        return _ =>
        {
            attempt++;
            return attempt <= failures.Length ? Task.FromException<int>(failures[attempt - 1]) : Task.FromResult(attempt);
        };
    }

    private static bool IsFake(Exception e) => e is FakeTransientException;

    [Fact]
    public async Task Execute_RetriesTransientFailures_ThenReturnsTheResult()
    {
        var result = await Policy().ExecuteAsync(FailingWith(new FakeTransientException(), new FakeTransientException()), IsFake, CancellationToken.None);

        Assert.Equal(3, result);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public async Task Execute_WaitsLonger_AfterEachFailure_WithinTheJitterBounds()
    {
        await Policy(attempts: 5).ExecuteAsync(FailingWith(new FakeTransientException(), new FakeTransientException(), new FakeTransientException()), IsFake, CancellationToken.None);

        Assert.Equal(3, waits.Count);
        for (var i = 0; i < waits.Count; i++)
        {
            var full = Base * Math.Pow(2, i);
            Assert.InRange(waits[i], full / 2, full);
        }
    }

    [Fact]
    public async Task Execute_GivesUp_AfterMaxAttempts_WithTheLastFailure()
    {
        var last = new FakeTransientException();

        var thrown = await Assert.ThrowsAsync<FakeTransientException>(() =>
            Policy(attempts: 3).ExecuteAsync(FailingWith(new FakeTransientException(), new FakeTransientException(), last, new FakeTransientException()), IsFake, CancellationToken.None));

        Assert.Same(last, thrown);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public async Task Execute_DoesNotRetry_AFailureThatIsNotTransient()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Policy().ExecuteAsync(FailingWith(new InvalidOperationException("constraint")), IsFake, CancellationToken.None));

        Assert.Empty(waits);
    }

    [Fact]
    public async Task Execute_DoesNotRetry_OnceCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAsync<FakeTransientException>(() => Policy().ExecuteAsync<int>(
            _ =>
            {
                attempts++;
                cancel.Cancel();
                throw new FakeTransientException();
            },
            IsFake,
            cancel.Token));

        Assert.Equal(1, attempts);
        Assert.Empty(waits);
    }

    [Fact]
    public void DelayAfter_IsCappedAtTheMaximum()
    {
        var policy = Policy();

        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayAfter(20, jitter: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(50), policy.DelayAfter(1, jitter: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.DelayAfter(3, jitter: 1));
    }

    [Fact]
    public void TransientNumbers_AreDeadlocksTimeoutsThrottlingAndBrokenConnections_NotConstraintErrors()
    {
        int[] transient = [1205, -2, 40501, 40613, 49918, 49919, 49920, 4060, 10928, 10929, 233, 64, 10053, 10054, 10060];
        int[] permanent = [2601, 2627, 547, 515, 8152, 2628, 51000];

        Assert.All(transient, n => Assert.Contains(n, SqlRetryPolicy.TransientErrorNumbers));
        Assert.All(permanent, n => Assert.DoesNotContain(n, SqlRetryPolicy.TransientErrorNumbers));
        Assert.False(SqlRetryPolicy.IsTransient(new TimeoutException()));
        Assert.False(SqlRetryPolicy.IsDuplicateKey(new InvalidOperationException()));
    }

    private sealed class FakeTransientException : Exception;
}
