using System.Diagnostics;

namespace ContentWatch.Web.Tests;

/// <summary>Runs the built command line (<see cref="RepoPaths.CliDll"/>) as a user would: a real process, output captured.</summary>
internal static class CliProcess
{
    /// <summary>Runs <c>contentwatch ARGS</c> in <paramref name="workingDirectory"/>, with <paramref name="environment"/> added, to its exit.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string workingDirectory, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(RepoPaths.CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
