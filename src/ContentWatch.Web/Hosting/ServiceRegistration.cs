using Microsoft.Extensions.Options;
using ContentWatch.Classifier;
using ContentWatch.Core;
using ContentWatch.Core.Access;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Models;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
using ContentWatch.Jobs;
using ContentWatch.Storage;

namespace ContentWatch.Web.Hosting;

/// <summary>Registration shared by the service and the command-line tools.</summary>
public static class ServiceRegistration
{
    /// <summary>
    /// Everything ContentWatch runs on: storage, options, the pipeline's services (the models are loaded from the registry by
    /// <see cref="PrepareModelsAsync"/>),
    /// metrics and, when configured, OpenTelemetry. A service node (<paramref name="node"/>) gets the jobs and, as a
    /// worker, the Hangfire server; a tool without one (the command line's database commands) stores reports for a
    /// worker's poll to classify. The web host adds only what HTTP needs (<see cref="ContentWatchApp"/>).
    /// </summary>
    public static IServiceCollection AddContentWatch(this IServiceCollection services, IConfiguration configuration, NodeOptions? node = null)
    {
        services.AddLogging();
        services.AddContentWatchTelemetry(configuration);
        if (node is null)
        {
            services.AddSingleton<IWorkQueue, DeferredWorkQueue>();
        }
        else
        {
            node.Validate();
            services.AddSingleton(node);
            services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            services.AddContentWatchJobs(JobsSetupFor(configuration, node.Worker));
        }

        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.AddContentWatchStorage(storage);
        services.AddOptions<ClassificationOptions>().BindConfiguration(ClassificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScanOptions>().BindConfiguration(ScanOptions.Section)
            .Validate(o => o.Feeds.Select(f => f.Name).Distinct().Count() == o.Feeds.Count, "Scans:Feeds names must be unique")
            .Validate(o => o.Feeds.All(f => !string.IsNullOrWhiteSpace(f.Name) && ReportParser.IsWebUrl(f.Url)), "every feed in Scans:Feeds needs a Name and an http(s) Url")
            .ValidateOnStart();
        services.AddOptions<ModelsOptions>().BindConfiguration(ModelsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IModelLoader, ModelPackage>();
        services.AddSingleton<ModelSelection>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<RescoreService>();
        services.AddSingleton<ILanguageIdentifier, LanguageIdentifier>();
        services.AddSingleton<IntakeService>();
        services.AddSingleton<ReportImporter>();
        services.AddSingleton<ClassificationService>();
        services.AddSingleton<ReviewService>();
        services.AddOptions<IndicatorOptions>().BindConfiguration(IndicatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusteringOptions>().BindConfiguration(ClusteringOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.BandsFit, $"Clustering:Bands × Clustering:Rows must be at most {MinHasher.SignatureLength}").ValidateOnStart();
        services.AddOptions<SharingOptions>().BindConfiguration(SharingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new IndicatorExtractor(sp.GetRequiredService<IOptions<IndicatorOptions>>().Value.DefaultRegion));
        services.AddOptions<TextAnalyticsOptions>().BindConfiguration(TextAnalyticsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.IsComplete, "TextAnalytics:Enabled needs TextAnalytics:Endpoint (an http(s) URL) and TextAnalytics:Key").ValidateOnStart();
        services.AddSingleton<IEntityRecognizer>(sp => sp.GetRequiredService<IOptions<TextAnalyticsOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<AzureLanguageRecognizer>(sp)
            : new NoEntityRecognizer());
        services.AddSingleton<NetworkAnalyser>();
        services.AddSingleton<WatchlistService>();
        services.AddSingleton<ClusterDecisionService>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<FolderScanService>();
        services.AddSingleton<FeedScanService>();
        services.AddHttpClient(FeedScanService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddFollowUp(configuration, storage);
        return services;
    }

    /// <summary>Hangfire follows the storage provider: SQL Server keeps the jobs on the same connection string, SQLite keeps them in memory.</summary>
    public static JobsSetup JobsSetupFor(IConfiguration configuration, bool runsWorker)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (!string.Equals(storage.Provider, StorageOptions.SqlServerProvider, StringComparison.OrdinalIgnoreCase))
        {
            return new JobsSetup(null, runsWorker);
        }

        return string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? throw new InvalidOperationException($"{StorageOptions.SectionName}:ConnectionString is required when {StorageOptions.SectionName}:Provider is '{StorageOptions.SqlServerProvider}'.")
            : new JobsSetup(storage.ConnectionString, runsWorker);
    }

    /// <summary>
    /// Registers the configured model file (<c>Classification:ModelPath</c>, the shipped model by default) as the active
    /// model when the registry has none (first start), and loads the registry's active and shadow models.
    /// </summary>
    public static async Task<LiveModels> PrepareModelsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<ModelRegistry>();
        await SeedModelAsync(services, cancellationToken);
        return await registry.RefreshAsync(cancellationToken);
    }

    /// <summary>The first start's registration of the configured model file (nothing when the registry has an active model).</summary>
    public static Task<bool> SeedModelAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ModelRegistry>().SeedAsync(
            ModelFile.ResolvePath(services.GetRequiredService<IOptions<ClassificationOptions>>().Value.ModelPath), cancellationToken);

    /// <summary>
    /// Applies the schema and makes the configured bootstrap admin key (if any) the bootstrap key, revoking the one it
    /// replaces; a key too short, the README's sample or a revoked key stops the start with the reason.
    /// </summary>
    /// <returns>The bootstrap key as stored, or null when none is configured.</returns>
    public static async Task<ApiKeyInfo?> PrepareStorageAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IStorageMigrator>().MigrateAsync(cancellationToken);
        var bootstrap = configuration[ApiKeyService.BootstrapVariable];
        return string.IsNullOrEmpty(bootstrap) ? null : await services.GetRequiredService<ApiKeyService>().EnsureBootstrapAdminAsync(bootstrap, cancellationToken);
    }
}
