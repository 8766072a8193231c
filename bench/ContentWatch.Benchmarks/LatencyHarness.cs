using System.Diagnostics;
using System.Globalization;
using ContentWatch.Classifier;

namespace ContentWatch.Benchmarks;

/// <summary>
/// Single-item latency as a caller sees it: <c>Classify</c> called one item at a time on one thread, each call timed
/// with <see cref="Stopwatch"/>; prints p50, p90, p99, p99.9 and max, after a warm-up. Then the per-item cost of
/// <c>ClassifyBatch</c> calls of 100, 1,000 and 10,000 items (median of five calls each), to show the fixed cost per call.
/// </summary>
public static class LatencyHarness
{
    public static void Run(int count)
    {
        var classifier = LinearTextClassifier.Load(BenchItems.ModelPath());
        var items = BenchItems.Build(count);
        foreach (var item in items.Take(Math.Min(2_000, count)))
        {
            classifier.Classify(item);
        }

        var micros = new double[count];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            classifier.Classify(items[i]);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        total.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(micros);
        double P(double q) => micros[Math.Min(count - 1, (int)Math.Ceiling(q * count) - 1)];
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"single-item latency, {count:N0} calls on one thread ({Environment.ProcessorCount} cores), model {classifier.ModelVersion}"));
        Console.WriteLine(string.Create(ci, $"  p50 {P(0.50):F1} µs  p90 {P(0.90):F1} µs  p99 {P(0.99):F1} µs  p99.9 {P(0.999):F1} µs  max {micros[^1]:F1} µs"));
        Console.WriteLine(string.Create(ci, $"  mean {micros.Average():F1} µs, {count / total.Elapsed.TotalSeconds:N0} items/s, {allocated / (double)count:N0} bytes allocated per item"));

        foreach (var size in new[] { 100, 1_000, 10_000 })
        {
            var batch = BenchItems.Build(size);
            classifier.ClassifyBatch(batch);
            var perItem = new double[5];
            for (var run = 0; run < perItem.Length; run++)
            {
                var start = Stopwatch.GetTimestamp();
                classifier.ClassifyBatch(batch);
                perItem[run] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / size;
            }

            Array.Sort(perItem);
            Console.WriteLine(string.Create(ci, $"ClassifyBatch of {size,6:N0}: median {perItem[2]:F1} µs per item ({perItem[2] * size / 1000:F1} ms per call), {1e6 / perItem[2]:N0} items/s"));
        }
    }
}
