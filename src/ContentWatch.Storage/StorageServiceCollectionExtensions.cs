using ContentWatch.Core.Access;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Models;
using ContentWatch.Core.Networks;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
using ContentWatch.Core.Training;
using ContentWatch.Storage.Sqlite;
using ContentWatch.Storage.SqlServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContentWatch.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers every store and the <see cref="IStorageMigrator"/> as singletons for the configured provider, and
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered already.
    /// </summary>
    public static IServiceCollection AddContentWatchStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);

        if (options.IsSqlServer)
        {
            AddSqlServer(services);
            return services;
        }

        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<IStorageMigrator, SqliteStorageMigrator>();
        services.AddSingleton<IIntakeStore, SqliteIntakeStore>();
        services.AddSingleton<IClassificationStore, SqliteClassificationStore>();
        services.AddSingleton<IReviewStore, SqliteReviewStore>();
        services.AddSingleton<ITrainingExampleStore, SqliteTrainingExampleStore>();
        services.AddSingleton<IReferralStore, SqliteReferralStore>();
        services.AddSingleton<IExportStore, SqliteExportStore>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<IScanStateStore, SqliteScanStateStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<IDeskStore, SqliteDeskStore>();
        services.AddSingleton<INetworkStore, SqliteNetworkStore>();
        services.AddSingleton<IWatchlistStore, SqliteWatchlistStore>();
        services.AddSingleton<IModelStore, SqliteModelStore>();
        services.AddSingleton<IRescoreStore, SqliteRescoreStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<IRecheckStore, SqliteRecheckStore>();
        services.AddSingleton<IAuditStore, SqliteAuditStore>();
        services.AddSingleton<ITransparencyStore, SqliteTransparencyStore>();
        return services;
    }

    /// <summary>The SQL Server stores; nothing connects until a store is used.</summary>
    private static void AddSqlServer(IServiceCollection services)
    {
        services.AddSingleton(SqlRetryPolicy.Default);
        services.AddSingleton<SqlServerConnectionFactory>();
        services.AddSingleton<IStorageMigrator, SqlServerStorageMigrator>();
        services.AddSingleton<IIntakeStore, SqlServerIntakeStore>();
        services.AddSingleton<IClassificationStore, SqlServerClassificationStore>();
        services.AddSingleton<IReviewStore, SqlServerReviewStore>();
        services.AddSingleton<ITrainingExampleStore, SqlServerTrainingExampleStore>();
        services.AddSingleton<IReferralStore, SqlServerReferralStore>();
        services.AddSingleton<IExportStore, SqlServerExportStore>();
        services.AddSingleton<IApiKeyStore, SqlServerApiKeyStore>();
        services.AddSingleton<IScanStateStore, SqlServerScanStateStore>();
        services.AddSingleton<IUserStore, SqlServerUserStore>();
        services.AddSingleton<IDeskStore, SqlServerDeskStore>();
        services.AddSingleton<INetworkStore, SqlServerNetworkStore>();
        services.AddSingleton<IWatchlistStore, SqlServerWatchlistStore>();
        services.AddSingleton<IModelStore, SqlServerModelStore>();
        services.AddSingleton<IRescoreStore, SqlServerRescoreStore>();
        services.AddSingleton<IDeliveryStore, SqlServerDeliveryStore>();
        services.AddSingleton<IRecheckStore, SqlServerRecheckStore>();
        services.AddSingleton<IAuditStore, SqlServerAuditStore>();
        services.AddSingleton<ITransparencyStore, SqlServerTransparencyStore>();
    }
}
