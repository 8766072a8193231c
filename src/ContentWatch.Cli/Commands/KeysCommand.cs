using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Access;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch keys create|list|revoke</c>: API keys; a new key is printed once.</summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Required = true, Description = "intake, officer, platform or admin.", HelpName = "R" };
        var platform = new Option<string?>("--platform") { Description = "The platform a platform key is bound to.", HelpName = "P" };
        var createDataDir = CommandLine.DataDirOption();
        var create = new Command("create", "Create an API key and print it (once); only its SHA-256 is stored.") { role, platform, createDataDir };
        create.SetAction((result, cancellationToken) => CreateAsync(result.GetRequiredValue(role), result.GetValue(platform), result.GetValue(createDataDir), cancellationToken));

        var listDataDir = CommandLine.DataDirOption();
        var list = new Command("list", "List the API keys: id, role, platform, created, last used (to the minute), revoked.") { listDataDir };
        list.SetAction((result, cancellationToken) => ListAsync(result.GetValue(listDataDir), cancellationToken));

        var id = new Argument<string>("ID") { Description = "The key's id, as keys list shows it." };
        var revokeDataDir = CommandLine.DataDirOption();
        var revoke = new Command("revoke", "Revoke an API key: from the next request on it gets 401.") { id, revokeDataDir };
        revoke.SetAction((result, cancellationToken) => RevokeAsync(result.GetRequiredValue(id), result.GetValue(revokeDataDir), cancellationToken));

        return new Command("keys", "Create, list and revoke API keys.") { create, list, revoke };
    }

    private static async Task<int> CreateAsync(string role, string? platform, string? dataDir, CancellationToken cancellationToken)
    {
        var errors = ApiKeyService.Validate(role, platform);
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", errors.Select(e => $"--{e.Field} {e.Message}")));
        }

        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        var (key, info) = await services.GetRequiredService<ApiKeyService>().CreateAsync(role, platform, cancellationToken);
        await Console.Error.WriteLineAsync($"created {info.Role} key {info.Id}{(info.Platform is null ? "" : " for " + info.Platform)}; it is shown once:");
        Console.WriteLine(key);
        return 0;
    }

    private static async Task<int> ListAsync(string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        var keys = await services.GetRequiredService<ApiKeyService>().ListAsync(cancellationToken);
        Console.WriteLine("id\trole\tplatform\tcreated\tlast used\trevoked");
        foreach (var k in keys)
        {
            Console.WriteLine(string.Join('\t', k.Id, k.Bootstrap ? k.Role + " (bootstrap)" : k.Role, k.Platform ?? "-", Time(k.CreatedAt), Time(k.LastUsedAt), Time(k.RevokedAt)));
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(string id, string? dataDir, CancellationToken cancellationToken)
    {
        await using var services = await CommandLine.OpenServicesAsync(dataDir, cancellationToken);
        if (!await services.GetRequiredService<ApiKeyService>().RevokeAsync(id, cancellationToken))
        {
            await Console.Error.WriteLineAsync($"contentwatch: no key {id} (see 'contentwatch keys list')");
            return 1;
        }

        await Console.Error.WriteLineAsync($"revoked key {id}");
        return 0;
    }

    private static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-";
}
