namespace RealtimeHead.Torch.Benchmarks;

/// <summary>How a case's time per operation is shown.</summary>
internal enum Metric
{
    /// <summary>Floating-point operations per second (needs <see cref="BenchmarkCase.Flops"/>).</summary>
    GflopsPerSecond,
    Milliseconds,
    Nanoseconds,
}

/// <summary>
/// One workload, run identically by the C# binding and the C++ baseline: <see cref="Warmup"/> untimed operations, then
/// <see cref="Iterations"/> timed samples of <see cref="Inner"/> operations each (tiny ops are timed in batches so the
/// clock's own cost disappears). <see cref="BaselineName"/> names the C++ case it is compared with.
/// </summary>
internal sealed record BenchmarkCase(string Name, string Title, Metric Metric, int Warmup, int Iterations, int Inner, double Flops = 0)
{
    public string BaselineName { get; init; } = Name;

    /// <summary>The cases, sized so one round of both sides at 1 and 2 threads takes about 12 s on a 2-core machine.</summary>
    public static IReadOnlyList<BenchmarkCase> All() =>
        [
            new("matmul_98304x64x64", "matmul 98304x64 · 64x64 (f32)", Metric.GflopsPerSecond, 2, 5, 1, 2.0 * 98304 * 64 * 64),
            new("matmul_1024", "matmul 1024x1024 · 1024x1024 (f32)", Metric.GflopsPerSecond, 1, 4, 1, 2.0 * 1024 * 1024 * 1024),
            new("mlp_fwd_bwd", "MLP 4x(Linear 64→64 + ReLU), 98304 points, MSE, forward + backward", Metric.Milliseconds, 1, 3, 1),
            new("grid_sample", "grid_sample tri-plane: [3, 32, 64, 64] at [3, 1, 98304, 2], bilinear", Metric.Milliseconds, 2, 5, 1),
            // Short samples (200 calls, well under a scheduler time slice) and many of them: the median then ignores
            // the samples that a busy machine preempted.
            new("tiny_add", "add of two 1-element tensors (per call)", Metric.Nanoseconds, 5000, 100, 200),
            new("tiny_add_scope", "same, with a dispose scope per call", Metric.Nanoseconds, 5000, 100, 200) { BaselineName = "tiny_add" },
        ];
}
