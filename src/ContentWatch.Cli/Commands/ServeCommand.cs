using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli.Commands;

public static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        List<string> hostArgs = [];
        if (arguments.Option("urls") is { } urls)
        {
            hostArgs.Add("--urls=" + urls);
        }

        if (arguments.Option("data-dir") is { } dataDir)
        {
            hostArgs.Add("--Storage:DataDirectory=" + dataDir);
        }

        if (arguments.Option("roles") is { } roles)
        {
            hostArgs.Add("--Node:Roles=" + roles);
        }

        arguments.RejectUnknown();
        if (arguments.Positionals.Count > 0)
        {
            throw new UsageException("serve takes no positional arguments");
        }

        var app = ContentWatchApp.Build([.. hostArgs]);
        await ContentWatchApp.RunAsync(app);
        return 0;
    }
}
