using System.Diagnostics;
using System.Globalization;
using ContentWatch.Classifier;

namespace ContentWatch.Benchmarks;

/// <summary>
/// What a shadow model adds to a classification batch: the active model's <c>ClassifyBatch</c> (scores, and evidence for
/// items at or above the threshold) against a second copy of the same model's <c>ScoreBatch</c> (scores only, what the
/// shadow runs), on the same items; median of five calls each, after a warm-up.
/// </summary>
public static class ShadowHarness
{
    public static void Run(int count)
    {
        var active = LinearTextClassifier.Load(BenchItems.ModelPath());
        var shadow = LinearTextClassifier.Load(BenchItems.ModelPath());
        var items = BenchItems.Build(count);
        active.ClassifyBatch(items);
        shadow.ScoreBatch(items);
        double Median(Action run)
        {
            var micros = new double[5];
            for (var i = 0; i < micros.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                run();
                micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
            }

            Array.Sort(micros);
            return micros[2];
        }

        var classify = Median(() => active.ClassifyBatch(items));
        var score = Median(() => shadow.ScoreBatch(items));
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"{count:N0} corpus items, model {active.ModelVersion}, one thread ({Environment.ProcessorCount} cores)"));
        Console.WriteLine(string.Create(ci, $"  active ClassifyBatch: {classify:F1} µs per item"));
        Console.WriteLine(string.Create(ci, $"  shadow ScoreBatch:    {score:F1} µs per item ({100 * score / classify:F0} % of the active model's pass)"));
    }
}
