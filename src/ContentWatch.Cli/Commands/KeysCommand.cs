using Microsoft.Extensions.DependencyInjection;
using ContentWatch.Core.Access;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch keys create --role R [--platform P]</c>: prints the new key once.</summary>
public static class KeysCommand
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Positionals is not ["create"])
        {
            throw new UsageException("use: keys create --role R [--platform P]");
        }

        var role = arguments.Required("role");
        var platform = arguments.Option("platform");
        var errors = ApiKeyService.Validate(role, platform);
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", errors.Select(e => $"--{e.Field} {e.Message}")));
        }

        await using var services = await CommandLine.OpenServicesAsync(arguments, cancellationToken);
        arguments.RejectUnknown();
        var (key, info) = await services.GetRequiredService<ApiKeyService>().CreateAsync(role, platform, cancellationToken);
        Console.Error.WriteLine($"created {info.Role} key {info.Id}{(info.Platform is null ? "" : " for " + info.Platform)}; it is shown once:");
        Console.WriteLine(key);
        return 0;
    }
}
