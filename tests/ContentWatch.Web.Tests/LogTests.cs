using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ContentWatch.Core.Scans;

namespace ContentWatch.Web.Tests;

/// <summary>The scan service with every category logging at Information, captured with its values and scopes.</summary>
public sealed class LoggedFixture : ScanFixture
{
    public LogCapture Log { get; } = new();

    protected override IEnumerable<string> ExtraArguments() =>
    [
        .. base.ExtraArguments(),
        "--Logging:LogLevel:Default=Information",
        "--Logging:LogLevel:Microsoft.AspNetCore=Information",
        "--Logging:LogLevel:Hangfire=Information",
    ];

    protected override void Customize(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

/// <summary>What was logged at Information and above: the text, the values and the scopes of each entry.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var scopes = new List<string>();
            owner._scopes?.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            owner._entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), Describe(state), scopes, exception?.ToString()));
        }

        private static string Describe(object? value) =>
            value is IEnumerable<KeyValuePair<string, object?>> pairs
                ? $"{value} [{string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))}]"
                : value?.ToString() ?? "";
    }
}

public sealed record LogEntry(LogLevel Level, string Category, string Message, string Values, IReadOnlyList<string> Scopes, string? Exception)
{
    public string All => string.Join("\n", [Message, Values, .. Scopes, Exception ?? ""]);
}

[Collection(InProcessHangfire.Name)]
public sealed class LogTests(LoggedFixture service) : IClassFixture<LoggedFixture>
{
    [Fact]
    public async Task Information_logs_carry_item_and_referral_scopes_and_never_the_reported_text_or_a_secret()
    {
        var marker = "cwmarker" + Guid.NewGuid().ToString("N");
        var text = "Boat to UK from Calais every night, 1500 euro per person, WhatsApp +44 7700 900123 " + marker;
        using var admin = service.Admin();
        var intakeKey = await admin.CreateKeyAsync("intake");
        var officerKey = await admin.CreateKeyAsync("officer");
        var platformKey = await admin.CreateKeyAsync("platform", "logbook");
        using var intake = service.Client(intakeKey);
        using var officer = service.Client(officerKey);
        using var platform = service.Client(platformKey);

        using var posted = await intake.PostJsonAsync("/api/reports", new { platform = "logbook", url = $"https://logbook.example/{marker}", text });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var refused = await intake.PostJsonAsync("/api/reports", new { platform = "logbook", url = marker, text });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var itemId = (await ApiClient.ReadJsonAsync(posted))["items"]![0]!["id"]!.GetValue<string>();
        await ApiClient.EventuallyAsync(() => officer.GetJsonAsync($"/api/items/{itemId}"),
            i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the item to be classified");
        using var decided = await officer.PostJsonAsync($"/api/items/{itemId}/decision", new { decision = "confirm", category = "smuggling_service", reason = "Quotes " + marker });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var referralId = (await ApiClient.ReadJsonAsync(decided))["referralId"]!.GetValue<string>();
        using var exported = await officer.Http.PostAsync("/api/platforms/logbook/exports", null);
        Assert.True(exported.IsSuccessStatusCode, $"export answered {(int)exported.StatusCode}");
        using var status = await platform.PostJsonAsync($"/api/referrals/{referralId}/status", new { status = "received", note = marker });
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        var file = $"log-{Guid.NewGuid():N}.jsonl";
        await File.WriteAllTextAsync(Path.Combine(service.DropFolder, file),
            ApiClient.Json(new { platform = "logbook", url = $"https://logbook.example/scan/{marker}", text }) + "\n" +
            ApiClient.Json(new { platform = "logbook", url = "relative", text }) + "\n");
        Assert.Equal(1, (await service.Services.GetRequiredService<FolderScanService>().ScanAsync(CancellationToken.None)).Rejected);
        service.FeedBody = new JsonArray(
            new JsonObject { ["platform"] = "logbook", ["url"] = $"https://logbook.example/feed/{marker}", ["text"] = text },
            new JsonObject { ["platform"] = "logbook", ["url"] = "relative", ["text"] = text }).ToJsonString();
        Assert.Equal(1, (await service.Services.GetRequiredService<FeedScanService>().ScanAsync("partner", CancellationToken.None)).Rejected);

        var entries = service.Log.Entries;
        Assert.Contains(entries, e => e.Category.EndsWith(".ReviewService", StringComparison.Ordinal) && e.Scopes.Any(s => s.StartsWith($"Item {itemId}", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Message.StartsWith($"Referral {referralId} status received", StringComparison.Ordinal) && e.Scopes.Any(s => s.StartsWith($"Referral {referralId}", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Category.EndsWith(".ExportService", StringComparison.Ordinal) && e.Scopes.Any(s => s.StartsWith("Export for logbook", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Scopes.Any(s => s.StartsWith($"File {file}", StringComparison.Ordinal)) && e.Scopes.Any(s => s.StartsWith("Scan folder", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Level == LogLevel.Warning && e.Scopes.Any(s => s.StartsWith("Scan feed:partner", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)); // framework entries were captured too
        foreach (var secret in new[] { marker, intakeKey, officerKey, platformKey, ServiceFixture.AdminKey, "feed-secret" })
        {
            var leak = entries.FirstOrDefault(e => e.All.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log entry holds '{secret}': {leak}");
        }
    }
}
