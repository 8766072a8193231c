using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContentWatch.Web.Tests;

/// <summary>`contentwatch serve` as a real child process, so it can be killed with SIGKILL.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory, string adminKey, IDictionary<string, string>? settings = null)
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

        info.Environment["CONTENTWATCH_BOOTSTRAP_ADMIN_KEY"] = adminKey;
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
        using var client = new ApiClient(service.BaseAddress, adminKey);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"contentwatch serve exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var response = await client.Http.GetAsync("/api/review/queue?limit=1");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "contentwatch serve did not answer within 60 s");
            await Task.Delay(200);
        }
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
