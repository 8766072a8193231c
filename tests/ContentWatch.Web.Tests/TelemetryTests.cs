using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Web.Tests;

/// <summary>
/// The service with OpenTelemetry on: its OTLP endpoint is a fake collector on 127.0.0.1 (http/protobuf), and the test
/// reads the same metrics and spans through in-memory exporters.
/// </summary>
public sealed class TelemetryFixture : ServiceFixture
{
    private WebApplication? _collector;

    public SharedList<MetricSnapshot> Metrics { get; } = new();

    public SharedList<Activity> Spans { get; } = new();

    /// <summary>What the fake collector received: the path and the body of each export.</summary>
    public SharedList<(string Path, byte[] Body)> Exports { get; } = new();

    public override async Task InitializeAsync()
    {
        _collector = await LocalServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            Exports.Add((context.Request.Path.Value!, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        }));
        await base.InitializeAsync();
    }

    protected override IEnumerable<string> ExtraArguments() =>
    [
        "--OpenTelemetry:OtlpEndpoint=" + _collector!.Address(),
        "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
    ];

    protected override void Customize(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }
    }
}

/// <summary>A list the exporters add to from their own threads while a test reads it.</summary>
public sealed class SharedList<T> : Collection<T>
{
    public IReadOnlyList<T> Snapshot()
    {
        lock (Items)
        {
            return [.. Items];
        }
    }

    protected override void InsertItem(int index, T item)
    {
        lock (Items)
        {
            base.InsertItem(index, item);
        }
    }
}

// The SDK's meter provider listens to every meter named ContentWatch in the process: this collection keeps the other
// in-process services from running beside it, and the counters are read for the source "api" only.
[Collection(InProcessHangfire.Name)]
public sealed class TelemetryTests(TelemetryFixture service) : IClassFixture<TelemetryFixture>
{
    private const string Smuggling = "Boat to UK from Calais every night, 1500 euro per person, guaranteed arrival, WhatsApp +44 7700 900123";
    private const string Documents = "Real passports and residence cards, registered in the system, pass every check. Telegram @docs_fast for prices";
    private const string Recipe = "My grandmother's lentil soup: fry two onions, add red lentils, cumin and lemon, simmer twenty minutes.";

    [Fact]
    public async Task Metrics_count_reports_verdicts_decisions_and_open_work_and_spans_cover_requests_and_jobs()
    {
        using var admin = service.Admin();
        var tag = Guid.NewGuid().ToString("N");
        using var posted = await admin.PostJsonAsync("/api/reports", new object[]
        {
            new { platform = "otelbook", url = $"https://otel.example/{tag}/1", text = Smuggling },
            new { platform = "otelbook", url = $"https://otel.example/{tag}/2", text = Documents },
            new { platform = "otelbook", url = $"https://otel.example/{tag}/3", text = Recipe },
        });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var refused = await admin.PostRawAsync("/api/reports", """{"platform":"otelbook","url":"relative","text":"t"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var ids = (await ApiClient.ReadJsonAsync(posted))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        var statuses = new List<string>();
        foreach (var id in ids)
        {
            var item = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/items/{id}"),
                i => i["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the item to be classified");
            statuses.Add(item["status"]!.GetValue<string>());
        }

        var flagged = ids.Where((_, i) => statuses[i] == "in_review").ToList();
        Assert.NotEmpty(flagged);
        using var confirmed = await admin.PostJsonAsync($"/api/items/{flagged[0]}/decision",
            new { decision = "confirm", category = "smuggling_service", reason = "Sells crossings." });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        // each gauge reads the database on its own, in the background, when first collected, and shows what it read from
        // a later collection on: wait until both have shown a reading (one may lag the other on a busy machine)
        var meters = service.Services.GetRequiredService<MeterProvider>();
        var gauges = await ApiClient.EventuallyAsync(() =>
        {
            meters.ForceFlush();
            return Task.FromResult((Pending: Gauge("contentwatch.referrals.pending_export"), Queue: Gauge("contentwatch.review.queue_depth")));
        }, g => g.Pending == 1 && g.Queue is not null, TimeSpan.FromSeconds(30), "the pending-export and queue-depth gauges");
        Assert.Equal(flagged.Count - 1, gauges.Queue);
        Assert.Equal(3, Sum("contentwatch.reports.accepted", ("source", "api")));
        Assert.Equal(1, Sum("contentwatch.reports.rejected", ("source", "api")));
        Assert.Equal(3, Sum("contentwatch.items.classified"));
        Assert.Equal(flagged.Count, Sum("contentwatch.items.classified", ("status", "in_review")));
        Assert.InRange(Points("contentwatch.classification.duration").Sum(p => p.GetHistogramCount()), 1, 3);
        Assert.Equal(1, Sum("contentwatch.decisions", ("decision", "confirm"), ("outcome", "recorded")));

        service.Services.GetRequiredService<TracerProvider>().ForceFlush();
        var spans = service.Spans.Snapshot();
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /api/reports");
        Assert.Contains(spans, s => s.Source.Name == "ContentWatch" && s.DisplayName == "ClassifyPendingJob.RunAsync" && s.Status != ActivityStatusCode.Error);

        // the same figures went to the configured OTLP endpoint
        var exports = service.Exports.Snapshot();
        Assert.Contains(exports, e => e.Path == "/v1/traces");
        Assert.Contains(exports, e => e.Path == "/v1/metrics" && Contains(e.Body, "contentwatch.reports.accepted"));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("http://127.0.0.1:4317", null, true)]
    [InlineData(null, "http://127.0.0.1:4317", true)]
    public void OpenTelemetry_is_on_only_when_an_otlp_endpoint_is_configured(string? own, string? standard, bool on)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryRegistration.EndpointKey] = own,
            [TelemetryRegistration.StandardEndpointKey] = standard,
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddContentWatchTelemetry(configuration).BuildServiceProvider();

        Assert.Equal(on, services.GetService<MeterProvider>() is not null);
        Assert.Equal(on, services.GetService<TracerProvider>() is not null);
    }

    [Fact]
    public void An_endpoint_that_is_not_an_http_url_stops_the_start_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryRegistration.EndpointKey] = "collector:4317" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddContentWatchTelemetry(configuration));

        Assert.Contains(TelemetryRegistration.EndpointKey, error.Message, StringComparison.Ordinal);
    }

    private List<MetricPoint> Points(string name)
    {
        var metric = service.Metrics.Snapshot().LastOrDefault(m => m.Name == name);
        var points = new List<MetricPoint>();
        foreach (var point in metric?.MetricPoints ?? [])
        {
            points.Add(point);
        }

        return points;
    }

    private long Sum(string name, params (string Key, string Value)[] tags) =>
        Points(name).Where(p => tags.All(t => HasTag(p, t.Key, t.Value))).Sum(p => p.GetSumLong());

    private long? Gauge(string name) => Points(name) is [var point] ? point.GetGaugeLastValueLong() : null;

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
