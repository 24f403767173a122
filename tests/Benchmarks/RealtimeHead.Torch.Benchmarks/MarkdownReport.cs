using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RealtimeHead.Torch.Benchmarks;

/// <summary>One table row: a case at a thread count, with the pooled samples of each side (native null when skipped).</summary>
internal sealed record ResultRow(BenchmarkCase Case, int Threads, Statistics Managed, Statistics? Native);

/// <summary>Formats the results as a markdown table with the conditions they were measured under.</summary>
internal static class MarkdownReport
{
    public static string Format(IReadOnlyList<ResultRow> rows, BenchmarkOptions options, string? libTorchVersion, string loadBefore, string loadAfter, string memory)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### RealtimeHead.Torch vs libtorch C++ ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{CpuModel()}, {Environment.ProcessorCount} cores; libtorch {libTorchVersion ?? "(baseline not run)"} CPU; {RuntimeInformation.FrameworkDescription}; " +
            $"{options.Rounds} round(s) alternating C++ and C#, samples pooled; load average {loadBefore} before, {loadAfter} after; {memory}.");
        text.AppendLine();
        text.AppendLine("Median per operation, ± the interquartile range over the median. C# / C++ is the ratio of median times " +
            "(1.00 = equal, above 1 = the binding is slower); \"best\" is the ratio of the fastest samples, which a busy machine disturbs least.");
        text.AppendLine();
        text.AppendLine("| Workload | Threads | C# binding | C++ libtorch | C# / C++ time | best |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var native = row.Native is { } n ? Cell(row.Case, n) : "–";
            var ratio = row.Native is { } m ? Ratio(row.Case, row.Managed, m) : "–";
            var best = row.Native is { } b ? string.Create(CultureInfo.InvariantCulture, $"{row.Managed.Min / b.Min:0.00}") : "–";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Case.Title} | {row.Threads} | {Cell(row.Case, row.Managed)} | {native} | {ratio} | {best} |");
        }
        return text.ToString();
    }

    private static string Cell(BenchmarkCase benchmark, Statistics stats)
    {
        var spread = string.Create(CultureInfo.InvariantCulture, $" ±{stats.RelativeSpread * 100:0}%");
        return benchmark.Metric switch
        {
            Metric.GflopsPerSecond => string.Create(CultureInfo.InvariantCulture, $"{benchmark.Flops / stats.Median / 1e9:0.0} GFLOP/s") + spread,
            Metric.Milliseconds => string.Create(CultureInfo.InvariantCulture, $"{stats.Median * 1e3:0.0} ms") + spread,
            _ => string.Create(CultureInfo.InvariantCulture, $"{stats.Median * 1e9:0} ns") + spread,
        };
    }

    private static string Ratio(BenchmarkCase benchmark, Statistics managed, Statistics native)
    {
        var ratio = string.Create(CultureInfo.InvariantCulture, $"{managed.Median / native.Median:0.00}");
        if (benchmark.Metric != Metric.Nanoseconds) return ratio;
        var extra = (managed.Median - native.Median) * 1e9;
        return string.Create(CultureInfo.InvariantCulture, $"{ratio} ({extra:+0;-0} ns per call)");
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
