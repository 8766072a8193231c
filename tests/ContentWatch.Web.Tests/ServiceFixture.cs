using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>The real service (Kestrel on a loopback port, SQLite in a temp folder, in-process Hangfire, the shipped model).</summary>
public class ServiceFixture : IAsyncLifetime
{
    public const string AdminKey = "cw_test_admin_key_0123456789abcdef";

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "contentwatch-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>What the service logged at Error and above: an unhandled exception shows here.</summary>
    public ErrorLog Errors { get; } = new();

    internal ApiClient Client(string? key) => new(BaseAddress, key);

    internal ApiClient Admin() => Client(AdminKey);

    /// <summary>Settings added to the defaults below, as <c>--Key=value</c>.</summary>
    protected virtual IEnumerable<string> ExtraArguments() => [];

    /// <summary>More set-up of the host before it is built (log providers, exporters).</summary>
    protected virtual void Customize(WebApplicationBuilder builder)
    {
    }

    /// <summary>What the service does before it listens: the schema, the bootstrap key and the model.</summary>
    protected virtual Task PrepareAsync(WebApplication app) => ContentWatchApp.PrepareAsync(app, CancellationToken.None);

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        _app = ContentWatchApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--Storage:DataDirectory=" + DataDirectory,
            "--Classification:ModelPath=" + RepoPaths.Model,
            "--Classification:ReviewThreshold=0.5",
            "--Export:NotifierName=Test Referral Unit",
            "--Export:NotifierEmail=referrals@unit.example.org",
            "--Export:Cron=0 0 1 1 *",
            "--Rechecks:Cron=0 0 1 1 *", // a pass would fetch the tests' made-up URLs and store what it saw
            "--Workers:WorkerCount=2",
            "--CONTENTWATCH_BOOTSTRAP_ADMIN_KEY=" + AdminKey,
            "--Logging:LogLevel:Default=Warning",
            .. ExtraArguments(),
        ], builder =>
        {
            builder.Logging.AddProvider(Errors);
            Customize(builder);
        });
        await PrepareAsync(_app);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Address());
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Test classes that build Hangfire in this process. Hangfire's configuration, its log provider included, is global
/// to the process: a service provider disposed by one test class would leave another class's host logging to a
/// disposed logger factory. One collection runs them one after another (process-based tests still run beside them).
/// </summary>
[CollectionDefinition(Name)]
public sealed class InProcessHangfire
{
    public const string Name = "in-process Hangfire";
}

/// <summary>Keeps the service's log entries at Error and above.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
            }
        }
    }
}
