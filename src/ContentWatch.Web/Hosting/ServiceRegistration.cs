using Microsoft.Extensions.Options;
using ContentWatch.Classifier;
using ContentWatch.Core.Access;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
using ContentWatch.Jobs;
using ContentWatch.Storage;

namespace ContentWatch.Web.Hosting;

/// <summary>Registration shared by the service and the command-line tools.</summary>
public static class ServiceRegistration
{
    /// <summary>Storage, options and the pipeline's services. The model is loaded on first use.</summary>
    public static IServiceCollection AddContentWatchServices(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.AddContentWatchStorage(storage);
        services.AddOptions<ClassificationOptions>().BindConfiguration(ClassificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScanOptions>().BindConfiguration(ScanOptions.Section)
            .Validate(o => o.Feeds.Select(f => f.Name).Distinct().Count() == o.Feeds.Count, "Scans:Feeds names must be unique")
            .Validate(o => o.Feeds.All(f => !string.IsNullOrWhiteSpace(f.Name) && ReportParser.IsWebUrl(f.Url)), "every feed in Scans:Feeds needs a Name and an http(s) Url")
            .ValidateOnStart();
        services.AddSingleton<ITextClassifier>(sp => LinearTextClassifier.Load(ModelFile.ResolvePath(sp.GetRequiredService<IOptions<ClassificationOptions>>().Value.ModelPath)));
        services.AddSingleton<ILanguageIdentifier, LanguageIdentifier>();
        services.AddSingleton<IntakeService>();
        services.AddSingleton<ReportImporter>();
        services.AddSingleton<ClassificationService>();
        services.AddSingleton<ReviewService>();
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

    /// <summary>Applies the schema and creates the bootstrap admin key when one is configured.</summary>
    public static async Task PrepareStorageAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IStorageMigrator>().MigrateAsync(cancellationToken);
        var bootstrap = configuration["CONTENTWATCH_BOOTSTRAP_ADMIN_KEY"];
        if (!string.IsNullOrWhiteSpace(bootstrap))
        {
            await services.GetRequiredService<ApiKeyService>().EnsureBootstrapAdminAsync(bootstrap, cancellationToken);
        }
    }
}
