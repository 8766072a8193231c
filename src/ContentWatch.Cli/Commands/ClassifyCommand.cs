using ContentWatch.Classifier;

namespace ContentWatch.Cli.Commands;

/// <summary><c>contentwatch classify --input FILE --output FILE.jsonl [--model PATH]</c>: offline, no database.</summary>
public static class ClassifyCommand
{
    public static async Task<int> RunAsync(Arguments arguments, CancellationToken cancellationToken)
    {
        var input = arguments.Required("input");
        var output = arguments.Required("output");
        var model = ModelFile.ResolvePath(arguments.Option("model") ?? ModelFile.DefaultPath);
        arguments.RejectUnknown();
        if (!File.Exists(input))
        {
            throw new IOException($"no input file {input}");
        }

        var classifier = LinearTextClassifier.Load(model);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var length = new FileInfo(input).Length;
        long lines;
        using (var bar = new ConsoleProgress("classify"))
        {
            lines = await BatchFileClassifier.RunAsync(input, output, classifier, new Progress<long>(n => bar.Report(n, Math.Max(n, 1), "items")), cancellationToken);
        }

        await Console.Error.WriteLineAsync($"classified {lines:N0} items from {length:N0} bytes with {classifier.ModelVersion} in {started.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
