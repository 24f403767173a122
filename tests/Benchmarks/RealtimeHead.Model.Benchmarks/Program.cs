using System.Diagnostics;
using System.Globalization;
using RealtimeHead.Model;
using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Placement;
using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;

// Render cost of S3D-NeRF through S3DNeRFInference (portraits encoded beforehand, as in a call), per preset and batch.
// Usage: [--device cpu|cuda|cuda:N] [--precision fp32|bf16|fp16] [--presets tiny,paper] [--batches 1,4,8] [--threads 2]
//        [--seconds 5] [--min-iterations 3] [--paper-iterations 1] [--quality Full|NoSuperResolution|LowResolution]
//        [--tiny-samples C,I] [--tiny-render R] [--tiny-deform width] [--chunk points]
// --paper-iterations applies on the CPU only (paper frames take seconds there); on CUDA every row is timed like tiny's.
var presets = new List<string> { "tiny", "paper" };
var batches = new List<int> { 1, 4, 8 };
var threads = 2;
var seconds = 5.0;
var minIterations = 3;
var paperIterations = 1;
var quality = RenderQuality.Full;
int[]? tinySamples = null;
int? tinyRender = null;
int? tinyDeform = null;
long? chunk = null;
var deviceName = "cpu";
var precisionName = "fp32";
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--presets": presets = Next().Split(',').ToList(); break;
        case "--batches": batches = Next().Split(',').Select(int.Parse).ToList(); break;
        case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--min-iterations": minIterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--paper-iterations": paperIterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--quality": quality = Enum.Parse<RenderQuality>(Next()); break;
        case "--tiny-samples": tinySamples = Next().Split(',').Select(int.Parse).ToArray(); break;
        case "--tiny-render": tinyRender = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--tiny-deform": tinyDeform = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--chunk": chunk = long.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--device": deviceName = Next(); break;
        case "--precision": precisionName = Next(); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; see the usage line at the top of Program.cs");
            return 2;
    }
}

ModelPlacement placement;
try
{
    placement = ModelPlacement.Parse(deviceName, precisionName).EnsureAvailable();
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var gpu = placement.IsCuda;
// A GPU has memory for whole batches of paper frames in one field evaluation (2^22 points ≈ 5 paper frames).
chunk ??= gpu ? 1L << 22 : null;

set_num_threads(threads);
static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
void Synchronize()
{
    if (gpu) cuda.synchronize(placement.Device.index);
}
Log($"placement {placement}{(gpu ? $" ({cuda.device_count()} CUDA device(s))" : "")}");

var rows = new List<string>();
foreach (var preset in presets)
{
    var config = S3DNeRFConfig.FromPreset(preset);
    if (preset == "tiny" && tinySamples is not null) config = config with { CoarseSamples = tinySamples[0], ImportanceSamples = tinySamples[1] };
    if (preset == "tiny" && tinyRender is { } render) config = config with { RenderSize = render };
    if (preset == "tiny" && tinyDeform is { } width) config = config with { DeformHidden = width };
    var cost = S3DNeRFCost.For(config);
    using var model = S3DNeRFModelFactory.LoadDefault(config: config, placement: placement);
    using var inference = new S3DNeRFInference(model);
    if (chunk is { } points) inference.MaxPointsPerChunk = points;
    var portraits = new List<PortraitEncoding>();
    manual_seed(1);
    for (var p = 0; p < batches.Max(); p++)
    {
        using var scope = NewDisposeScope();
        portraits.Add(inference.Encode(rand([1, 3, config.ImageSize, config.ImageSize]).mul(2).sub(1), null, $"p{p}"));
    }

    foreach (var batch in batches)
    {
        using var scope = NewDisposeScope();
        var audio = randn([batch, config.AudioWindow, config.AudioFeatureDim]);
        var requests = Enumerable.Range(0, batch)
            .Select(k => new FrameRequest(portraits[k], audio[k], RealtimeHead.Model.Camera.HeadPose.LookAt(0.05f * k, 0, 0, config.CameraDistance)[0], quality))
            .ToArray();
        // Paper frames take seconds on a CPU: one run, no warm-up there (its one-off costs are small beside a frame). A GPU
        // warms up twice (kernel selection and the caching allocator settle in the first runs).
        var slow = preset == "paper" && !gpu;
        var warm = Stopwatch.StartNew();
        for (var w = 0; w < (slow ? 0 : gpu ? 2 : 1); w++)
        {
            Log($"{config.Preset} batch {batch}: warm-up");
            using (NewDisposeScope()) inference.Render(requests);
        }
        Synchronize();
        warm.Stop();

        var samples = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var target = slow ? paperIterations : minIterations;
        while (samples.Count < target || (!slow && clock.Elapsed.TotalSeconds < seconds))
        {
            using var inner = NewDisposeScope();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            // Render copies the frames back to the CPU (the pipeline's cost); the synchronisation makes sure nothing is left queued.
            inference.Render(requests);
            Synchronize();
            samples.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        samples.Sort();
        cpu.Sort();
        var median = samples[samples.Count / 2];
        // CPU time over the threads: what the wall time would be on 2 idle cores with perfect scaling, and what survives
        // contention from other processes far better than wall time.
        var cpuPerFrame = cpu[cpu.Count / 2] / batch / threads;
        var perFrame = median / batch;
        var fps = 1000.0 / perFrame;
        var gflops = cost.GigaFlops;
        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"| {config.Preset} | {placement} | {config.ImageSize} / {config.RenderSize} / {config.CoarseSamples}+{config.ImportanceSamples} / {config.DeformHidden} | {batch} | {samples.Count} | {median:F1} | {perFrame:F1} | {fps:F2} | {cpuPerFrame:F1} | {1000 / cpuPerFrame:F2} | {gflops:F2} | {gflops * fps:F1} |"));
        Log($"{config.Preset} batch {batch}: {perFrame:F1} ms/frame wall, {cpuPerFrame:F1} CPU-ms/frame/thread ({samples.Count} runs, warm-up {warm.Elapsed.TotalMilliseconds:F0} ms, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
    foreach (var portrait in portraits) portrait.Dispose();
}

Console.WriteLine($"S3D-NeRF render on {placement}{(gpu ? $" (max {chunk} points per field call)" : "")}, {threads} threads, quality {quality}, untrained seeded weights, " +
    $"median of the runs (CPU: {Environment.ProcessorCount} cores){(gpu ? "" : $"; paper: {paperIterations} run(s), no warm-up")}");
Console.WriteLine();
Console.WriteLine("| preset | device / precision | S / R / samples / deform width | batch | runs | ms/batch | ms/frame | frames/s | CPU-ms/frame ÷ threads | frames/s from CPU time | GFLOPs/frame | GFLOP/s (wall) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var row in rows) Console.WriteLine(row);
return 0;
