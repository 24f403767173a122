using System.Diagnostics;
using System.Globalization;
using RealtimeHead.Model;
using RealtimeHead.Model.Inference;
using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;

// Render cost of S3D-NeRF through S3DNeRFInference (portraits encoded beforehand, as in a call), per preset and batch.
// Usage: [--presets tiny,paper] [--batches 1,4,8] [--threads 2] [--seconds 5] [--min-iterations 3] [--paper-iterations 1]
//        [--quality Full|NoSuperResolution|LowResolution] [--tiny-samples C,I] [--tiny-render R] [--tiny-deform width] [--chunk points]
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
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; see the usage line at the top of Program.cs");
            return 2;
    }
}

set_num_threads(threads);
static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

var rows = new List<string>();
foreach (var preset in presets)
{
    var config = S3DNeRFConfig.FromPreset(preset);
    if (preset == "tiny" && tinySamples is not null) config = config with { CoarseSamples = tinySamples[0], ImportanceSamples = tinySamples[1] };
    if (preset == "tiny" && tinyRender is { } render) config = config with { RenderSize = render };
    if (preset == "tiny" && tinyDeform is { } width) config = config with { DeformHidden = width };
    var cost = S3DNeRFCost.For(config);
    using var model = S3DNeRFModelFactory.LoadDefault(config: config);
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
        var paper = preset == "paper";
        // Paper frames take seconds on a CPU: no warm-up run there (its one-off costs are small beside a frame).
        var warm = Stopwatch.StartNew();
        if (!paper)
        {
            Log($"{config.Preset} batch {batch}: warm-up");
            using (NewDisposeScope()) inference.Render(requests);
        }
        warm.Stop();

        var samples = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var target = paper ? paperIterations : minIterations;
        while (samples.Count < target || (!paper && clock.Elapsed.TotalSeconds < seconds))
        {
            using var inner = NewDisposeScope();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            inference.Render(requests);
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
            $"| {config.Preset} | {config.ImageSize} / {config.RenderSize} / {config.CoarseSamples}+{config.ImportanceSamples} / {config.DeformHidden} | {batch} | {samples.Count} | {median:F1} | {perFrame:F1} | {fps:F2} | {cpuPerFrame:F1} | {1000 / cpuPerFrame:F2} | {gflops:F2} | {gflops * fps:F1} |"));
        Log($"{config.Preset} batch {batch}: {perFrame:F1} ms/frame wall, {cpuPerFrame:F1} CPU-ms/frame/thread ({samples.Count} runs, warm-up {warm.Elapsed.TotalMilliseconds:F0} ms, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
    foreach (var portrait in portraits) portrait.Dispose();
}

Console.WriteLine($"S3D-NeRF render, {threads} threads, quality {quality}, untrained seeded weights, median of the runs (CPU: {Environment.ProcessorCount} cores); paper: {paperIterations} run(s), no warm-up");
Console.WriteLine();
Console.WriteLine("| preset | S / R / samples / deform width | batch | runs | ms/batch | ms/frame | frames/s | CPU-ms/frame ÷ threads | frames/s from CPU time | GFLOPs/frame | GFLOP/s (wall) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var row in rows) Console.WriteLine(row);
return 0;
