using System.CommandLine;
using ContentWatch.Web.Hosting;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch serve [--urls URL] [--data-dir DIR] [--roles web|worker|web,worker]</c>.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080).", HelpName = "URL" };
        var dataDir = CommandLine.DataDirOption();
        var roles = new Option<string?>("--roles")
        {
            Description = "web (API, desk, dashboard), worker (background jobs; answers only /health) or web,worker (default).",
            HelpName = "web|worker|web,worker",
        };
        var command = new Command("serve", "Run the API and review desk (web) and the background workers (worker), both by default.") { urls, dataDir, roles };
        command.SetAction(async (result, _) =>
        {
            List<string> hostArgs = [];
            if (result.GetValue(urls) is { } u)
            {
                hostArgs.Add("--urls=" + u);
            }

            if (result.GetValue(dataDir) is { } d)
            {
                hostArgs.Add("--Storage:DataDirectory=" + d);
            }

            if (result.GetValue(roles) is { } r)
            {
                hostArgs.Add("--Node:Roles=" + r);
            }

            var app = ContentWatchApp.Build([.. hostArgs]);
            await ContentWatchApp.RunAsync(app);
            return 0;
        });
        return command;
    }
}
