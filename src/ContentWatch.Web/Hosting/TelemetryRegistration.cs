using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ContentWatch.Core.Telemetry;

namespace ContentWatch.Web.Hosting;

/// <summary>
/// The meter <see cref="ContentWatchMetrics.MeterName"/> always (it costs nothing while nothing listens), and OpenTelemetry
/// only when an OTLP endpoint is configured: <c>OpenTelemetry:OtlpEndpoint</c>, or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Then requests (ASP.NET Core) and jobs (<see cref="ContentWatchTracing"/>) are
/// traced, and ContentWatch's and ASP.NET Core's metrics exported, over OTLP (gRPC unless
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>); the other <c>OTEL_*</c> variables apply as usual.
/// </summary>
public static class TelemetryRegistration
{
    public const string EndpointKey = "OpenTelemetry:OtlpEndpoint";
    public const string StandardEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "contentwatch";

    public static IServiceCollection AddContentWatchTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.AddSingleton<ContentWatchMetrics>();
        var endpoint = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(configuration[StandardEndpointKey]))
        {
            return services;
        }

        var own = string.IsNullOrWhiteSpace(endpoint) ? null : CheckedEndpoint(endpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t => t
                .AddSource(ContentWatchTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddOtlpExporter(o => Point(o, own, "/v1/traces")))
            .WithMetrics(m => m
                .AddMeter(ContentWatchMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => Point(o, own, "/v1/metrics")));
        return services;
    }

    private static Uri CheckedEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{EndpointKey} is '{endpoint}'; give the collector's http(s) URL, e.g. http://127.0.0.1:4317.");

    /// <summary>
    /// Our own setting as the exporter's endpoint. The standard variable needs nothing: the exporter reads it and adds
    /// the signal's path itself over http/protobuf, as done here; an endpoint set in code is taken as it is.
    /// </summary>
    private static void Point(OtlpExporterOptions options, Uri? endpoint, string signalPath)
    {
        if (endpoint is not null)
        {
            options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + signalPath)
                : endpoint;
        }
    }
}
