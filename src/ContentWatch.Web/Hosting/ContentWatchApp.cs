using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Jobs;
using ContentWatch.Web.Access;
using ContentWatch.Web.Apis;
using ContentWatch.Web.Desk;

namespace ContentWatch.Web.Hosting;

/// <summary>The service: API, desk and dashboard (web role) and Hangfire server (worker role), in one process or split across nodes.</summary>
public static class ContentWatchApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const long MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>Framework chatter off unless configuration turns it on.</summary>
    private static readonly Dictionary<string, string?> QuietDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Hangfire"] = "Warning",
    };

    /// <summary>Builds the app from configuration (appsettings.json in the working folder, environment, <paramref name="args"/>).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietDefaults });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        customize?.Invoke(builder);

        var services = builder.Services;
        services.AddContentWatchServices(builder.Configuration);
        var node = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        node.Validate();
        services.AddSingleton(node);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var jobs = ServiceRegistration.JobsSetupFor(builder.Configuration, node.Worker);
        services.AddContentWatchJobs(jobs);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(AccessPolicies.Add);
        services.AddReviewDesk();
        services.AddContentWatchOpenApi();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // answers carry hostile text and personal data: never sniffed, never cached
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok", roles = node.Roles }));
        if (!node.Web)
        {
            return app;
        }

        app.MapReportsApi();
        app.MapReviewApi();
        app.MapReferralsApi();
        app.MapKeysApi();
        app.MapDeliveryApi();
        app.MapFollowUpApi();
        app.MapOpenApi().AllowAnonymous();
        app.MapReviewDesk();
        if (jobs.HasDashboard)
        {
            app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AsyncAuthorization = [new AdminDashboardFilter()], AppPath = "/desk" });
        }

        return app;
    }

    /// <summary>Prepares storage and loads the model before listening, so a broken set-up fails at once.</summary>
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await PrepareAsync(app, cancellationToken);
        await app.RunAsync();
    }

    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.PrepareStorageAsync(app.Configuration, cancellationToken);
        await app.Services.PrepareJobStorageAsync(cancellationToken);
        if (app.Services.GetRequiredService<IOptions<ExportOptions>>().Value.NotifierEmail == ExportOptions.UnsetEmail)
        {
            app.Logger.LogWarning("Export:NotifierName and Export:NotifierEmail are not set: notices will name {Email}. Set them before sending exports to platforms.", ExportOptions.UnsetEmail);
        }

        var model = app.Services.GetRequiredService<ITextClassifier>();
        app.Logger.LogInformation("Model {Model} loaded; review threshold {Threshold}; roles {Roles}; jobs {JobStorage}", model.ModelVersion,
            app.Services.GetRequiredService<ClassificationService>().ReviewThreshold, app.Services.GetRequiredService<NodeOptions>().Roles,
            app.Services.GetRequiredService<JobsSetup>().SharedStorage ? "shared in SQL Server" : "in this process");
    }
}
