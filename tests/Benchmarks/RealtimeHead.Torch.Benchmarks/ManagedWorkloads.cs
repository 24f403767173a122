using System.Diagnostics;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Benchmarks;

/// <summary>
/// The benchmark workloads through the C# binding, written as application code would write them: a dispose scope
/// per iteration frees every temporary, so memory stays flat however many iterations run.
/// </summary>
internal static class ManagedWorkloads
{
    /// <summary>The shortest warm-up of a case (kMinWarmupSeconds in native/baseline.cpp).</summary>
    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(0.3);

    /// <summary>Runs <paramref name="benchmark"/> at the current thread count; returns seconds per operation, one per sample.</summary>
    public static double[] Measure(BenchmarkCase benchmark, Action<string>? log = null)
    {
        manual_seed(1);
        using var workload = Create(benchmark.Name);
        // As in the baseline: at least Warmup operations and MinWarmup of them, so fresh buffers and the JIT settle.
        var warmupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < benchmark.Warmup || Stopwatch.GetElapsedTime(warmupStart) < MinWarmup; i++) workload.Body();
        var workingSet = Environment.WorkingSet;
        var samples = new double[benchmark.Iterations];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var j = 0; j < benchmark.Inner; j++) workload.Body();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds / benchmark.Inner;
        }
        log?.Invoke($"{benchmark.Name} at {get_num_threads()} thread(s): working set {workingSet >> 20} MiB after warm-up, {Environment.WorkingSet >> 20} MiB after {samples.Length * benchmark.Inner} operations");
        return samples;
    }

    private sealed class Workload(Action body, params IDisposable[] owned) : IDisposable
    {
        public Action Body { get; } = body;

        public void Dispose()
        {
            foreach (var item in owned) item.Dispose();
        }
    }

    private static Workload Create(string name) => name switch
    {
        "matmul_98304x64x64" => MatMul(98304, 64, 64),
        "matmul_1024" => MatMul(1024, 1024, 1024),
        "mlp_fwd_bwd" => Mlp(),
        "grid_sample" => GridSample(),
        "tiny_add" => TinyAdd(withScope: false),
        "tiny_add_scope" => TinyAdd(withScope: true),
        _ => throw new ArgumentException($"unknown benchmark case '{name}'", nameof(name)),
    };

    private static Workload MatMul(long m, long k, long n)
    {
        var a = randn([m, k]);
        var b = randn([k, n]);
        return new Workload(() =>
        {
            using var scope = NewDisposeScope();
            a.matmul(b);
        }, a, b);
    }

    /// <summary>The NeRF field MLP: x [98304, 64] → 4 × (Linear 64→64, ReLU) → MSE against a target → backward.</summary>
    private static Workload Mlp()
    {
        var model = nn.Sequential(
            nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
            nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU());
        var x = randn([98304, 64]);
        var target = randn([98304, 64]);
        return new Workload(() =>
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var loss = F.mse_loss(model.forward(x), target);
            loss.backward();
        }, model, x, target);
    }

    /// <summary>Tri-plane lookup: planes [3, 32, 64, 64] sampled at grid [3, 1, 98304, 2] → [3, 32, 1, 98304].</summary>
    private static Workload GridSample()
    {
        var planes = randn([3, 32, 64, 64]);
        Tensor grid;
        using (NewDisposeScope())
        {
            grid = (rand([3, 1, 98304, 2]) * 2 - 1).DetachFromDisposeScope();
        }
        return new Workload(() =>
        {
            using var scope = NewDisposeScope();
            F.grid_sample(planes, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        }, planes, grid);
    }

    /// <summary>The binding's fixed cost per op: P/Invoke, handle wrapping and disposal around a trivial libtorch call.</summary>
    private static Workload TinyAdd(bool withScope)
    {
        var a = ones(1);
        var b = ones(1);
        Action body = withScope
            ? () =>
            {
                using var scope = NewDisposeScope();
                a.add(b);
            }
            : () =>
            {
                using var c = a.add(b);
            };
        return new Workload(body, a, b);
    }
}
