using RealtimeHead.Torch.Benchmarks;
using static RealtimeHead.Torch.torch;

// Compares the C# binding with plain libtorch C++ on the same workloads; see README.md.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}

var cases = BenchmarkCase.All();
var baseline = options.SkipNative ? null : NativeBaseline.Locate(options.NativePath, Log);
var managed = new Dictionary<(string, int), List<double>>();
var native = new Dictionary<(string, int), List<double>>();
var loadBefore = LoadAverage();
var workingSetBefore = Environment.WorkingSet;
var clock = System.Diagnostics.Stopwatch.StartNew();
var blasPinned = false;

using var session = baseline?.Start(cases, options.Threads);
for (var round = 1; round <= options.Rounds; round++)
{
    if (session is not null)
    {
        Log($"round {round}/{options.Rounds}: C++ baseline");
        foreach (var (key, samples) in session.RunRound())
        {
            if (!native.TryGetValue(key, out var list)) native[key] = list = [];
            list.AddRange(samples);
        }
    }
    Log($"round {round}/{options.Rounds}: C# binding");
    foreach (var threads in options.Threads)
    {
        set_num_threads(threads);
        blasPinned = BlasThreads.TrySet(threads);
        foreach (var benchmark in cases)
        {
            if (!managed.TryGetValue((benchmark.Name, threads), out var list)) managed[(benchmark.Name, threads)] = list = [];
            list.AddRange(ManagedWorkloads.Measure(benchmark, Log));
        }
    }
}
Log($"measured in {clock.Elapsed.TotalSeconds:0} s");
// A dispose scope per iteration keeps native memory flat: the working set reaches the allocator's high-water mark in
// the first round and stays there (the per-case log lines show it).
var memory = $"C# working set {workingSetBefore >> 20} MiB before measuring, {Environment.WorkingSet >> 20} MiB after; " +
    $"OpenBLAS threads {(blasPinned ? "pinned to the thread count" : "not pinned (OpenBLAS not found)")}";

var rows = new List<ResultRow>();
foreach (var benchmark in cases)
{
    foreach (var threads in options.Threads)
    {
        var nativeStats = native.TryGetValue((benchmark.BaselineName, threads), out var n) ? Statistics.Of(n) : (Statistics?)null;
        rows.Add(new ResultRow(benchmark, threads, Statistics.Of(managed[(benchmark.Name, threads)]), nativeStats));
    }
}

var report = MarkdownReport.Format(rows, options, baseline?.LibTorchVersion, loadBefore, LoadAverage(), memory);
Console.WriteLine(report);
if (options.OutputPath is not null) File.WriteAllText(options.OutputPath, report);
return 0;
