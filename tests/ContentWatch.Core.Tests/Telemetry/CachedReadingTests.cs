using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Core.Tests;

public sealed class CachedReadingTests
{
    private readonly FakeTimeProvider _time = new();
    private int _reads;
    private bool _fail;

    private CachedReading<string> Reading() => new(_ =>
    {
        var n = Interlocked.Increment(ref _reads);
        return _fail ? Task.FromException<string>(new InvalidOperationException("down")) : Task.FromResult($"read {n}");
    }, _time, TimeSpan.FromSeconds(15), NullLogger.Instance);

    [Fact]
    public async Task Reads_in_the_background_at_most_once_per_max_age_and_answers_the_last_value_meanwhile()
    {
        var reading = Reading();

        Assert.Equal("read 1", await SettledAsync(reading));
        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal("read 1", await SettledAsync(reading));
        Assert.Equal(1, _reads);

        _time.Advance(TimeSpan.FromSeconds(1));
        reading.Current();
        Assert.Equal("read 2", await SettledAsync(reading));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_failed_read_keeps_the_last_value_and_is_tried_again_only_after_max_age()
    {
        var reading = Reading();
        Assert.Equal("read 1", await SettledAsync(reading));
        _fail = true;
        _time.Advance(TimeSpan.FromSeconds(15));

        reading.Current();
        Assert.Equal("read 1", await SettledAsync(reading));
        Assert.Equal(2, _reads);

        _fail = false;
        _time.Advance(TimeSpan.FromSeconds(15));
        reading.Current();
        Assert.Equal("read 3", await SettledAsync(reading));
    }

    /// <summary>The value once no read is running any more (a read runs on the thread pool); fails after 10 s.</summary>
    private static async Task<string?> SettledAsync(CachedReading<string> reading)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (reading.IsReading || reading.Current() is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the read did not finish");
            await Task.Delay(10);
        }

        return reading.Current();
    }
}
