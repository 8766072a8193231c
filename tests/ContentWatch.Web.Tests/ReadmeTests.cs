using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContentWatch.Web.Tests;

/// <summary>
/// The README's "Using it" block, run by bash as written, from the clone, against a fresh service on a free port and a
/// temp data folder (the only changes: <c>localhost:5080</c> becomes that port, and the service is stopped afterwards).
/// </summary>
public sealed class ReadmeTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "contentwatch-readme", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task UsingItBlock_RunsInAShell_AndEndsWithThePlatformReportingTheRemoval()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf("## Using it", StringComparison.Ordinal)..];
        var start = section.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        var block = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("scripts/contentwatch serve &", block, StringComparison.Ordinal);
        var port = FreePort();
        var script = Path.Combine(Path.GetTempPath(), $"contentwatch-readme-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
            + block.Replace("localhost:5080", $"127.0.0.1:{port}", StringComparison.Ordinal));

        var info = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        info.Environment["urls"] = $"http://127.0.0.1:{port}";
        info.Environment["Storage__DataDirectory"] = _data;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            File.Delete(script);
        }

        var (stdout, stderr) = (await output, await error);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        Assert.Contains("\tsmuggling_service\t", stdout, StringComparison.Ordinal);
        Assert.Contains("exportId,platform,referralId,itemId,", stdout, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"removed\"", stdout.Trim().Split('\n')[^1], StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
