using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace RealtimeHead.Torch.Benchmarks;

/// <summary>
/// The C++ baseline (native/baseline.cpp): builds it with CMake when missing or older than its sources, runs it with
/// the same case table, and parses its raw samples.
/// </summary>
internal sealed class NativeBaseline(string executable)
{
    public string Executable { get; } = executable;

    /// <summary>libtorch's version as the baseline was compiled against it (from its INFO line), once run.</summary>
    public string? LibTorchVersion { get; private set; }

    /// <summary>Finds or builds the baseline. <paramref name="explicitPath"/> skips the build.</summary>
    public static NativeBaseline Locate(string? explicitPath, Action<string> log)
    {
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath)) throw new FileNotFoundException($"baseline executable not found: {explicitPath}", explicitPath);
            return new NativeBaseline(explicitPath);
        }
        var source = Metadata("BaselineSourceDirectory");
        var build = Metadata("BaselineBuildDirectory");
        if (source is null || build is null || !Directory.Exists(source))
        {
            throw new InvalidOperationException("the baseline sources are not where this build expects them: pass --native PATH to a built torch_baseline");
        }
        var executable = Path.Combine(build, "torch_baseline");
        var newestSource = Directory.GetFiles(source).Max(File.GetLastWriteTimeUtc);
        if (!File.Exists(executable) || File.GetLastWriteTimeUtc(executable) < newestSource)
        {
            log($"building the C++ baseline into {build} (about a minute: <torch/torch.h> is slow to compile)");
            Run("cmake", ["-S", source, "-B", build, "-DCMAKE_BUILD_TYPE=Release"]);
            Run("cmake", ["--build", build, "-j", "2"]);
        }
        return new NativeBaseline(executable);
    }

    /// <summary>
    /// Starts the baseline in serve mode: it stays up across rounds, as the C# process does, so neither side pays a
    /// fresh process's slow first iterations in later rounds.
    /// </summary>
    public Session Start(IEnumerable<BenchmarkCase> cases, IReadOnlyList<int> threads)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
        };
        foreach (var argument in new[] { "--serve", "--threads", string.Join(',', threads) }) start.ArgumentList.Add(argument);
        foreach (var c in cases.DistinctBy(c => c.BaselineName))
        {
            foreach (var argument in new[] { "--case", c.BaselineName, Invariant(c.Warmup), Invariant(c.Iterations), Invariant(c.Inner) })
            {
                start.ArgumentList.Add(argument);
            }
        }
        return new Session(this, Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}"));
    }

    /// <summary>A running baseline; each <see cref="RunRound"/> measures every case at every thread count once.</summary>
    internal sealed class Session(NativeBaseline owner, Process process) : IDisposable
    {
        private bool _started;

        /// <summary>Seconds per operation by (baseline case, threads).</summary>
        public Dictionary<(string name, int threads), double[]> RunRound()
        {
            // The first round starts with the process; later ones on request.
            if (_started) process.StandardInput.WriteLine("round");
            _started = true;
            process.StandardInput.Flush();
            var results = new Dictionary<(string, int), double[]>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is ["END"]) return results;
                if (fields is ["INFO", "libtorch", var version]) owner.LibTorchVersion = version;
                if (fields.Length < 4 || fields[0] != "SAMPLES") continue;
                var samples = fields[3..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                results[(fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture))] = samples;
            }
            process.WaitForExit();
            throw new InvalidOperationException($"{owner.Executable} ended mid-round with exit code {process.ExitCode}");
        }

        public void Dispose()
        {
            // Closing stdin ends the serve loop.
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill();
            process.Dispose();
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Metadata(string key) =>
        typeof(NativeBaseline).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{error.Result}\n{output}");
        }
        return output;
    }
}
