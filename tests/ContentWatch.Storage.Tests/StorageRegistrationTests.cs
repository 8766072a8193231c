using ContentWatch.Core.Access;
using ContentWatch.Core.Classification;
using ContentWatch.Core.Export;
using ContentWatch.Core.Intake;
using ContentWatch.Core.Referral;
using ContentWatch.Core.Review;
using ContentWatch.Core.Scans;
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
            typeof(IIntakeStore), typeof(IClassificationStore), typeof(IReviewStore), typeof(IReferralStore),
            typeof(IExportStore), typeof(IApiKeyStore), typeof(IScanStateStore), typeof(IStorageMigrator),
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
    public void Options_SqlServer_IsRefusedWithAClearMessage()
    {
        var options = new StorageOptions { Provider = "SqlServer", ConnectionString = "Server=.;Database=cw" };

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddContentWatchStorage(options));

        Assert.Contains("Storage:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("SQL Server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnknownProvider_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageOptions { Provider = "Postgres" }.Validate());

        Assert.Contains("'Sqlite'", error.Message, StringComparison.Ordinal);
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
