using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using ContentWatch.Benchmarks;

// dotnet run -c Release --project bench/ContentWatch.Benchmarks -- --filter '*'             full BenchmarkDotNet run
// dotnet run -c Release --project bench/ContentWatch.Benchmarks -- --filter '*' --job short  quick run
// dotnet run -c Release --project bench/ContentWatch.Benchmarks -- latency [COUNT]           p50/p99 single-item latency
// dotnet run -c Release --project bench/ContentWatch.Benchmarks -- cluster [COUNT]           near-duplicate clustering of COUNT generated items
// dotnet run -c Release --project bench/ContentWatch.Benchmarks -- hostile                   extraction and signature of hostile texts
if (args.Length > 0 && args[0] == "latency")
{
    LatencyHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return 0;
}

if (args.Length > 0 && args[0] == "cluster")
{
    ClusteringHarness.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length > 0 && args[0] == "hostile")
{
    HostileInputHarness.Run();
    return 0;
}

var config = DefaultConfig.Instance.AddColumn(new ItemsPerSecondColumn());
BenchmarkSwitcher.FromAssembly(typeof(ClassifierBenchmarks).Assembly).Run(args, config);
return 0;
