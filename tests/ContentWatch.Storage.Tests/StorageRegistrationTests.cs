using ContentWatch.Core.Access;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Models;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
using ContentWatch.Core.Training;
using ContentWatch.Storage.Sqlite;
using ContentWatch.Storage.SqlServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContentWatch.Storage.Tests;

public sealed class StorageRegistrationTests
{
    [Fact]
    public void AddContentWatchStorage_RegistersEveryStoreAsASingleton()
    {
        var services = new ServiceCollection().AddContentWatchStorage(StorageOptions.ForDataDirectory(Path.GetTempPath()));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Type[] stores =
        [
            typeof(IIntakeStore), typeof(IClassificationStore), typeof(IReviewStore), typeof(ITrainingExampleStore), typeof(IReferralStore),
            typeof(IExportStore), typeof(IApiKeyStore), typeof(IScanStateStore), typeof(IStorageMigrator),
            typeof(IUserStore), typeof(IDeskStore), typeof(IModelStore), typeof(IRescoreStore),
        ];
        foreach (var store in stores)
        {
            Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == store).Lifetime);
            Assert.Same(provider.GetRequiredService(store), provider.GetRequiredService(store));
        }

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddContentWatchStorage_KeepsATimeProviderAlreadyRegistered()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(fake);

        services.AddContentWatchStorage(StorageOptions.ForDataDirectory(Path.GetTempPath()));

        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        using var provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddContentWatchStorage_SqlServer_RegistersTheSqlServerStores_WithoutConnecting()
    {
        // 192.0.2.1 is TEST-NET-1: nothing answers there, so any attempt to connect would hang, then fail.
        var options = new StorageOptions { Provider = "sqlserver", ConnectionString = "Server=192.0.2.1;Database=contentwatch;Connect Timeout=1" };
        var services = new ServiceCollection().AddContentWatchStorage(options);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        (Type Service, Type Implementation)[] expected =
        [
            (typeof(IIntakeStore), typeof(SqlServerIntakeStore)),
            (typeof(IClassificationStore), typeof(SqlServerClassificationStore)),
            (typeof(IReviewStore), typeof(SqlServerReviewStore)),
            (typeof(ITrainingExampleStore), typeof(SqlServerTrainingExampleStore)),
            (typeof(IReferralStore), typeof(SqlServerReferralStore)),
            (typeof(IExportStore), typeof(SqlServerExportStore)),
            (typeof(IApiKeyStore), typeof(SqlServerApiKeyStore)),
            (typeof(IScanStateStore), typeof(SqlServerScanStateStore)),
            (typeof(IUserStore), typeof(SqlServerUserStore)),
            (typeof(IDeskStore), typeof(SqlServerDeskStore)),
            (typeof(IModelStore), typeof(SqlServerModelStore)),
            (typeof(IRescoreStore), typeof(SqlServerRescoreStore)),
            (typeof(IDeliveryStore), typeof(SqlServerDeliveryStore)),
            (typeof(IRecheckStore), typeof(SqlServerRecheckStore)),
            (typeof(IAuditStore), typeof(SqlServerAuditStore)),
            (typeof(ITransparencyStore), typeof(SqlServerTransparencyStore)),
            (typeof(IStorageMigrator), typeof(SqlServerStorageMigrator)),
        ];
        foreach (var (service, implementation) in expected)
        {
            Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == service).Lifetime);
            Assert.IsType(implementation, provider.GetRequiredService(service));
        }

        Assert.DoesNotContain(services, d => d.ImplementationType?.Namespace == typeof(SqliteConnectionFactory).Namespace);
    }

    [Fact]
    public void EveryInterfaceASqliteStoreImplements_HasASqlServerImplementation()
    {
        static HashSet<Type> Implemented(string ns) => typeof(StorageOptions).Assembly.GetTypes()
            .Where(t => t.Namespace == ns && t.IsClass && t.IsPublic)
            .SelectMany(t => t.GetInterfaces())
            .ToHashSet();

        var sqlite = Implemented(typeof(SqliteConnectionFactory).Namespace!);
        var sqlServer = Implemented(typeof(SqlServerConnectionFactory).Namespace!);

        Assert.Equal(19, sqlite.Count);
        Assert.Subset(sqlServer, sqlite);
    }

    [Theory]
    [InlineData(null, "ConnectionString")]
    [InlineData("Server=db.example", "Database")]
    [InlineData("Database=contentwatch", "Server")]
    [InlineData("Server=db;Database=cw;Bogus Keyword=1", "not a valid SQL Server connection string")]
    public void Options_SqlServer_WithoutAUsableConnectionString_IsRefused(string? connectionString, string expected)
    {
        var options = new StorageOptions { Provider = "SqlServer", ConnectionString = connectionString };

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddContentWatchStorage(options));

        Assert.Contains("Storage:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnknownProvider_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageOptions { Provider = "Postgres" }.Validate());

        Assert.Contains("'Sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'SqlServer'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_DefaultConnectionString_PointsIntoTheDataDirectory()
    {
        var options = StorageOptions.ForDataDirectory("/var/lib/contentwatch");

        Assert.Equal("Data Source=/var/lib/contentwatch/contentwatch.db", options.EffectiveConnectionString);
        Assert.Equal("Storage", StorageOptions.SectionName);
        Assert.Equal("Sqlite", options.Provider);
    }
}
