using System.Diagnostics;

namespace ContentWatch.Desk.Tests;

/// <summary>Runs the command line built beside the tests as its own process.</summary>
internal static class CliProcess
{
    /// <summary>Runs <c>contentwatch ARGS</c> in <paramref name="folder"/>, <paramref name="stdin"/> as its input; gives its exit code, output and error.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string folder, string? stdin, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "contentwatch.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
