using System.Globalization;

namespace RealtimeHead.Torch.Benchmarks;

/// <summary>Command-line settings of the benchmark run.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>Intra-op thread counts to measure (default 1 and 2; each from 1 to 256).</summary>
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];

    /// <summary>
    /// Rounds (default 5, 1 to 20): each runs the C++ baseline, then the C# side (both processes stay up throughout),
    /// and the samples of all rounds are pooled, so load from other processes that comes and goes falls on both alike.
    /// </summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Two rounds instead of <see cref="Rounds"/> (default false): a smoke run.</summary>
    public bool Quick { get; init; }

    /// <summary>A prebuilt baseline executable (default: build native/ with CMake into obj/native-baseline).</summary>
    public string? NativePath { get; init; }

    /// <summary>Skip the C++ baseline (default false).</summary>
    public bool SkipNative { get; init; }

    /// <summary>Also write the markdown report to this file (default: console only).</summary>
    public string? OutputPath { get; init; }

    public const string Usage =
        "usage: RealtimeHead.Torch.Benchmarks [--threads 1,2] [--rounds 5] [--quick] [--native PATH | --no-native] [--output FILE]";

    /// <summary>Parses <paramref name="args"/>; every problem is reported at once.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--threads":
                    var list = Next()?.Split(',').Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
                    if (list is null || list.Length == 0 || list.Any(n => n is < 1 or > 256)) problems.Add("--threads takes a comma-separated list of counts from 1 to 256");
                    else options = options with { Threads = list };
                    break;
                case "--rounds":
                    if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) || rounds is < 1 or > 20) problems.Add("--rounds takes a count from 1 to 20");
                    else options = options with { Rounds = rounds };
                    break;
                case "--quick":
                    options = options with { Quick = true, Rounds = 2 };
                    break;
                case "--native":
                    var path = Next();
                    if (path is null) problems.Add("--native takes the path of a built torch_baseline");
                    else options = options with { NativePath = path };
                    break;
                case "--no-native":
                    options = options with { SkipNative = true };
                    break;
                case "--output":
                    var output = Next();
                    if (output is null) problems.Add("--output takes a file path");
                    else options = options with { OutputPath = output };
                    break;
                default:
                    problems.Add($"unknown argument '{args[i]}'");
                    break;
            }
        }
        if (options.SkipNative && options.NativePath is not null) problems.Add("--native and --no-native contradict each other");
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems.Append(Usage)));
        return options;
    }
}
