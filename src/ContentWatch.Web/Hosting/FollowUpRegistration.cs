using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ContentWatch.Core.Audit;
using ContentWatch.Core.Delivery;
using ContentWatch.Core.Export;
using ContentWatch.Core.Outbound;
using ContentWatch.Core.Rechecks;
using ContentWatch.Core.Reports;
using ContentWatch.Jobs;
using ContentWatch.Storage;

namespace ContentWatch.Web.Hosting;

/// <summary>Push delivery, re-checks, DSA fields, evidence and the transparency report: options, services and secret protection.</summary>
public static class FollowUpRegistration
{
    public const string KeysDirectoryKey = "DataProtection:KeysDirectory";

    public static IServiceCollection AddFollowUp(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Outbound:AllowedNetworks must hold networks in CIDR form (10.20.0.0/16)")
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecheckOptions>().BindConfiguration(RecheckOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PlatformSlaHours.Values.All(h => h > 0), "Rechecks:PlatformSlaHours values must be positive hours")
            .ValidateOnStart();
        services.AddOptions<DsaOptions>().BindConfiguration(DsaOptions.Section)
            .Validate(o => o.Problems().Count == 0, "Dsa: categories must be STATEMENT_CATEGORY_ values, specifications KEYWORD_ values, the source type a SOURCE_ value")
            .ValidateOnStart();

        // The keys that protect webhook secrets live beside the database unless configured; nodes sharing a database must share them.
        var keys = configuration[KeysDirectoryKey] is { Length: > 0 } configured ? configured : Path.Combine(storage.DataDirectory, "keys");
        services.AddDataProtection().SetApplicationName("ContentWatch").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.AddSingleton(sp => new OutboundHttp(sp.GetRequiredService<IOptions<OutboundOptions>>()));
        services.TryAddSingleton<IDeliveryQueue, DeferredDeliveryQueue>();
        services.AddSingleton<DsaCategories>();
        services.AddSingleton<StatementOfReasons>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<RecheckService>();
        services.AddSingleton<OverdueService>();
        services.AddSingleton<EvidenceService>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<TransparencyReportService>();
        return services;
    }
}

/// <summary>Webhook secrets protected with ASP.NET Core Data Protection (a purpose of their own).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("ContentWatch.Delivery.WebhookSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
