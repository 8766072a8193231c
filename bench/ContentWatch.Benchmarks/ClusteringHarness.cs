using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContentWatch.Core.Networks;

namespace ContentWatch.Benchmarks;

/// <summary>
/// Clusters generated adverts in memory with the production pieces (IndicatorExtractor, MinHasher.Shape, Signature,
/// BandKeys, ClusterChoice) and the stores' rule: one item kept per band key, the most similar earlier candidate at or
/// above the threshold, a candidate without a cluster starting one. Half the items are copies of templates that vary
/// only in their slots (price, phone, place, date; a tenth also change one word), half are unrelated texts. Prints
/// the time of each stage, memory, and pair precision and recall against the generator's truth.
/// </summary>
public static class ClusteringHarness
{
    public static void Run(int count, double threshold = 0.8, int bands = 20, int rows = 6)
    {
        var ci = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var (texts, truth) = Generate(count, seed: 12);
        Console.WriteLine(string.Create(ci, $"generated {count:N0} items ({truth.Count(t => t >= 0):N0} copies of {truth.Where(t => t >= 0).Distinct().Count():N0} templates) in {watch.Elapsed.TotalSeconds:F1} s"));

        watch.Restart();
        var extractor = new IndicatorExtractor();
        var signatures = new uint[count][];
        var keys = new long[count][];
        Parallel.For(0, count, i =>
        {
            var matches = extractor.Extract(texts[i]);
            signatures[i] = MinHasher.Signature(MinHasher.Shape(texts[i], matches));
            keys[i] = MinHasher.BandKeys(signatures[i], bands, rows);
        });
        var signing = watch.Elapsed;
        Console.WriteLine(string.Create(ci, $"indicators, shapes, signatures and band keys: {signing.TotalSeconds:F1} s ({count / signing.TotalSeconds:N0} items/s on {Environment.ProcessorCount} cores)"));

        watch.Restart();
        var firstByKey = new Dictionary<long, int>(count * 4);
        var clusterOf = new int[count];
        Array.Fill(clusterOf, -1);
        var clusters = 0;
        long candidatesCompared = 0;
        var candidates = new List<ClusterChoice.Candidate>();
        var indexOf = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            candidates.Clear();
            foreach (var key in keys[i])
            {
                if (firstByKey.TryGetValue(key, out var j) && !candidates.Exists(c => c.ItemId == Id(j)))
                {
                    candidates.Add(new ClusterChoice.Candidate(Id(j), signatures[j], clusterOf[j] < 0 ? null : Id(clusterOf[j])));
                }
            }

            candidatesCompared += candidates.Count;
            if (ClusterChoice.Best(signatures[i], candidates, threshold) is { } best)
            {
                var j = int.Parse(best.ItemId, ci);
                if (clusterOf[j] < 0)
                {
                    clusterOf[j] = clusters++;
                }

                clusterOf[i] = clusterOf[j];
            }

            foreach (var key in keys[i])
            {
                firstByKey.TryAdd(key, i);
            }
        }

        var lsh = watch.Elapsed;
        Console.WriteLine(string.Create(ci, $"LSH placement ({bands} bands × {rows} rows, threshold {threshold}): {lsh.TotalSeconds:F1} s, {firstByKey.Count:N0} band keys kept, {candidatesCompared / (double)count:F2} candidates compared per item"));

        var (precision, recall, clustered) = PairScores(clusterOf, truth);
        Console.WriteLine(string.Create(ci, $"{clusters:N0} clusters holding {clustered:N0} items; pair precision {precision:F4}, pair recall {recall:F4}"));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(ci, $"total {total.Elapsed.TotalSeconds:F1} s; peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MiB; managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MiB; allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB"));
        GC.KeepAlive(indexOf);

        static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Pairs of items in one cluster that share a template (precision), and pairs sharing a template that share a cluster (recall).</summary>
    private static (double Precision, double Recall, int Clustered) PairScores(int[] clusterOf, int[] truth)
    {
        static double Pairs(long n) => n * (n - 1) / 2.0;
        var byCluster = new Dictionary<int, int>();
        var byTemplate = new Dictionary<int, int>();
        var byBoth = new Dictionary<(int, int), int>();
        var clustered = 0;
        for (var i = 0; i < clusterOf.Length; i++)
        {
            if (truth[i] >= 0)
            {
                byTemplate[truth[i]] = byTemplate.GetValueOrDefault(truth[i]) + 1;
            }

            if (clusterOf[i] < 0)
            {
                continue;
            }

            clustered++;
            byCluster[clusterOf[i]] = byCluster.GetValueOrDefault(clusterOf[i]) + 1;
            if (truth[i] >= 0)
            {
                byBoth[(clusterOf[i], truth[i])] = byBoth.GetValueOrDefault((clusterOf[i], truth[i])) + 1;
            }
        }

        var together = byBoth.Values.Sum(n => Pairs(n));
        return (together / Math.Max(1, byCluster.Values.Sum(n => Pairs(n))), together / Math.Max(1, byTemplate.Values.Sum(n => Pairs(n))), clustered);
    }

    private static readonly string[] Syllables =
        ["ka", "ro", "mi", "tes", "lan", "dor", "vi", "sa", "nel", "qu", "ber", "to", "pa", "lis", "mon", "dra", "ul", "fe", "gan", "zo", "ri", "hal", "te", "mo"];

    private static readonly string[] Places = ["Calais", "Dunkirk", "Tripoli", "Izmir", "Bodrum", "Zuwara", "Oran", "Tangier", "Minsk", "Belgrade", "Tapachula", "Agadez"];

    /// <summary>Half copies of templates (1 to 40 copies each), half unrelated texts; truth is the template, or −1.</summary>
    public static (string[] Texts, int[] Truth) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, 5_000).Select(_ => string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Syllables[random.Next(Syllables.Length)]))).ToArray();
        var texts = new string[count];
        var truth = new int[count];
        var i = 0;
        var template = 0;
        while (i < count / 2)
        {
            var body = Enumerable.Range(0, random.Next(25, 45)).Select(_ => words[random.Next(words.Length)]).ToArray();
            var copies = Math.Min(count / 2 - i, 1 + (int)(-Math.Log(1 - random.NextDouble()) * 8));
            for (var c = 0; c < copies; c++, i++)
            {
                var text = new StringBuilder();
                for (var w = 0; w < body.Length; w++)
                {
                    text.Append(w == body.Length / 2 && c % 10 == 9 ? words[random.Next(words.Length)] : body[w]).Append(' ');
                    switch (w)
                    {
                        case 5: text.Append(CultureInfo.InvariantCulture, $"{random.Next(8, 40) * 100}€ "); break;
                        case 12: text.Append("from ").Append(Places[random.Next(Places.Length)]).Append(' '); break;
                        case 18: text.Append(CultureInfo.InvariantCulture, $"{random.Next(1, 29)}/{random.Next(1, 13)} "); break;
                    }
                }

                text.Append(CultureInfo.InvariantCulture, $"WhatsApp +44 7700 9{random.Next(0, 100_000):00000}");
                texts[i] = text.ToString();
                truth[i] = template;
            }

            template++;
        }

        for (; i < count; i++)
        {
            texts[i] = string.Join(' ', Enumerable.Range(0, random.Next(25, 45)).Select(_ => words[random.Next(words.Length)])) + $" {random.Next(1000)}";
            truth[i] = -1;
        }

        // shuffle, so copies arrive spread out as they would
        for (var k = count - 1; k > 0; k--)
        {
            var j = random.Next(k + 1);
            (texts[k], texts[j]) = (texts[j], texts[k]);
            (truth[k], truth[j]) = (truth[j], truth[k]);
        }

        return (texts, truth);
    }
}
