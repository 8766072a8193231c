using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContentWatch.Web.Tests;

/// <summary>
/// `contentwatch serve` (or `serve --roles ROLES`) as a real child process, so it can be frozen (SIGSTOP), resumed and
/// killed (SIGKILL).
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the process and waits until it answers /health, which it does only once storage and model are ready.</summary>
    /// <param name="adminKey">The bootstrap admin key, or null for none.</param>
    /// <param name="roles">The <c>--roles</c> option, or null for the default (web and worker).</param>
    public static async Task<ServiceProcess> StartAsync(
        string dataDirectory, string? adminKey, IDictionary<string, string>? settings = null, string? roles = null)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var arg in new[] { RepoPaths.CliDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory })
        {
            info.ArgumentList.Add(arg);
        }

        if (roles is not null)
        {
            info.ArgumentList.Add("--roles");
            info.ArgumentList.Add(roles);
        }

        if (adminKey is not null)
        {
            info.Environment["CONTENTWATCH_BOOTSTRAP_ADMIN_KEY"] = adminKey;
        }

        info.Environment["Classification__ModelPath"] = RepoPaths.Model;
        info.Environment["Export__NotifierName"] = "Crash Test Unit";
        info.Environment["Export__NotifierEmail"] = "crash@unit.example.org";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"contentwatch serve exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy starting to answer within the timeout
            }

            Assert.True(DateTime.UtcNow < deadline, "contentwatch serve did not answer /health within 60 s");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGSTOP: every thread stops where it is, holding what it holds.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="FreezeAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
