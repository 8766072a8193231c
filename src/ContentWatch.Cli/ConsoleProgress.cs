namespace ContentWatch.Cli;

/// <summary>
/// A one-line progress bar on standard error, drawn only when it is a terminal. When standard error is a file or a pipe,
/// <see cref="Step"/> writes each step as its own line instead, so a long run's log shows its steps as they happen.
/// </summary>
public sealed class ConsoleProgress(string label) : IDisposable
{
    private readonly bool _draw = !Console.IsErrorRedirected;
    private long _lastTicks;

    public void Report(long done, long total, string unit)
    {
        if (!_draw || (Environment.TickCount64 - _lastTicks < 100 && done < total))
        {
            return;
        }

        _lastTicks = Environment.TickCount64;
        const int width = 30;
        var fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 0;
        var filled = (int)(fraction * width);
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {done:N0}/{total:N0} {unit}   ");
    }

    /// <summary>One step of a run that names its steps: the bar on a terminal, a line of its own elsewhere.</summary>
    public void Step(long done, long total, string message)
    {
        if (_draw)
        {
            Report(done, total, message);
        }
        else
        {
            Console.Error.WriteLine(message);
        }
    }

    public void Dispose()
    {
        if (_draw)
        {
            Console.Error.WriteLine();
        }
    }
}
