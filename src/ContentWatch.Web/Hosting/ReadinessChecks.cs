using ContentWatch.Core.Models;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ContentWatch.Core.Classification;
using ContentWatch.Storage;

namespace ContentWatch.Web.Hosting;

/// <summary>
/// <c>GET /health/ready</c>: <c>200</c> when the database answers with its schema up to date and the model is loaded,
/// else <c>503</c>; either way a JSON body with each check's status and what it found. <c>/health</c> stays the
/// liveness answer (the process runs).
/// </summary>
public static class ReadinessChecks
{
    public const string Path = "/health/ready";
    public const string Database = "database";
    public const string Model = "model";

    public sealed record CheckAnswer(string Status, string? Description);

    public sealed record ReadinessAnswer(string Status, IReadOnlyDictionary<string, CheckAnswer> Checks);

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>(Database, timeout: TimeSpan.FromSeconds(10))
            .AddCheck<ModelCheck>(Model);
        return services;
    }

    public static IEndpointConventionBuilder MapReadinessChecks(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new ReadinessAnswer(
            Name(report.Status),
            report.Entries.ToDictionary(e => e.Key, e => new CheckAnswer(Name(e.Value.Status), e.Value.Description))));

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The database answers and has recorded every schema script this build ships.</summary>
    private sealed class DatabaseCheck(IStorageMigrator migrator) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            int missing;
            try
            {
                missing = await migrator.CountUnappliedAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the exception goes to the log, not to an anonymous caller
                return HealthCheckResult.Unhealthy($"the database did not answer ({e.GetType().Name})", e);
            }

            return missing == 0
                ? HealthCheckResult.Healthy("answers; schema up to date")
                : HealthCheckResult.Unhealthy($"{missing} schema scripts not applied; run 'contentwatch migrate'");
        }
    }

    /// <summary>The registry's active model is loaded (start-up loads it; <see cref="ModelWatcher"/> keeps it current).</summary>
    private sealed class ModelCheck(ModelSelection models) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(models.CurrentOrNull is { } live
                ? HealthCheckResult.Healthy("model " + live.Active.ModelVersion)
                : HealthCheckResult.Unhealthy("the model is not loaded"));
    }
}
