using System.Text.Json;
using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ContentWatch.Core.Access;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Models;
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

        // Host headers answered; any other gets 400, so no redirect or link is ever built from a forged Host.
        // Behind a proxy or on a host name, set AllowedHosts (e.g. "contentwatch.unit.example").
        ["AllowedHosts"] = "localhost;127.0.0.1;[::1]",
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

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.AddServerHeader = false;
        });
        customize?.Invoke(builder);

        var services = builder.Services;
        var node = builder.Configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        services.AddContentWatch(builder.Configuration, node);
        services.AddHostedService<ModelWatcher>();
        services.AddReadinessChecks();
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
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // a broken or abandoned request (bad chunking, a body cut short or too slow) is the client's fault, not an error here
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException || c.HttpContext.RequestAborted.IsCancellationRequested,
        });
        app.UseStatusCodePages();
        if (node.Web)
        {
            app.UseDeskHeaders();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        // the models this node scores with: an operator (and the two-node test) sees each node's swap
        app.MapGet("/health", (ModelSelection models) => TypedResults.Ok(new
        {
            status = "ok",
            roles = node.Roles,
            models = new { active = models.CurrentOrNull?.Active.ModelVersion, shadow = models.CurrentOrNull?.Shadow?.ModelVersion },
        }));
        app.MapReadinessChecks();
        if (!node.Web)
        {
            return app;
        }

        app.MapReportsApi();
        app.MapReviewApi();
        app.MapTrainingApi();
        app.MapNetworksApi();
        app.MapReferralsApi();
        app.MapKeysApi();
        app.MapDeliveryApi();
        app.MapFollowUpApi();
        app.MapOpenApi().AllowAnonymous();
        app.MapModelsApi();
        app.MapReviewDesk();
        if (app.Services.GetRequiredService<JobsSetup>().HasDashboard)
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
        var bootstrap = await app.Services.PrepareStorageAsync(app.Configuration, cancellationToken);
        await app.Services.PrepareJobStorageAsync(cancellationToken);
        if (app.Services.GetRequiredService<IOptions<ExportOptions>>().Value.NotifierEmail == ExportOptions.UnsetEmail)
        {
            app.Logger.LogWarning("Export:NotifierName and Export:NotifierEmail are not set: notices will name {Email}. Set them before sending exports to platforms.", ExportOptions.UnsetEmail);
        }

        var models = await app.Services.PrepareModelsAsync(cancellationToken);
        app.Logger.LogInformation("Model {Model} loaded (shadow {Shadow}); review threshold {Threshold}; roles {Roles}; jobs {JobStorage}", models.Active.ModelVersion,
            models.Shadow?.ModelVersion ?? "none",
            app.Services.GetRequiredService<ClassificationService>().ReviewThreshold, app.Services.GetRequiredService<NodeOptions>().Roles,
            app.Services.GetRequiredService<JobsSetup>().SharedStorage ? "shared in SQL Server" : "in this process");
        var configured = Classifier.ModelFile.ResolvePath(app.Services.GetRequiredService<IOptions<ClassificationOptions>>().Value.ModelPath);
        if (File.Exists(configured) && Classifier.ModelFile.ReadMetadata(configured).ModelVersion != models.Active.ModelVersion)
        {
            app.Logger.LogWarning(
                "Classification:ModelPath names model {Configured}, but the registry's active model is {Active}: the registry decides (the file is registered only on first start). Register it with 'contentwatch models import' and 'models promote'.",
                Classifier.ModelFile.ReadMetadata(configured).ModelVersion, models.Active.ModelVersion);
        }
        if (bootstrap is null)
        {
            app.Logger.LogInformation("No bootstrap admin key: {Variable} is not set. Create API keys with 'scripts/contentwatch keys create --role admin'.",
                ApiKeyService.BootstrapVariable);
        }
        else
        {
            app.Logger.LogInformation("Bootstrap admin key set from {Variable} (key {KeyId}); any earlier bootstrap key is revoked.", ApiKeyService.BootstrapVariable, bootstrap.Id);
        }

        if (app.Services.GetRequiredService<NodeOptions>().Web)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                foreach (var address in addresses)
                {
                    app.Logger.LogInformation("Review desk: {DeskUrl}/desk", address.TrimEnd('/'));
                }

                app.Logger.LogInformation(
                    "Create a desk account with 'scripts/contentwatch users add --username NAME --role admin' (the password is read from standard input or asked for).");
            });
        }
    }
}
