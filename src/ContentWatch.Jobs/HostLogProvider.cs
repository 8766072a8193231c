using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace ContentWatch.Jobs;

/// <summary>
/// Hangfire's log provider, to the host's logging. Hangfire keeps its log provider in a process-wide static, so when
/// one process holds several hosts one after another or side by side (the tests do), the provider can outlive the
/// host whose logger factory it uses: a logger asked for after that factory was disposed is a silent one instead of
/// an <see cref="ObjectDisposedException"/> thrown into the next host's start-up.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
