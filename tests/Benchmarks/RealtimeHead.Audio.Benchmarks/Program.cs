using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeHead.Audio.Features;
using RealtimeHead.Audio.Resampling;
using RealtimeHead.Audio.Tests.Features;
using RealtimeHead.Audio.Vad;
using RealtimeHead.OnnxRuntime;

// Prints per-block costs of the audio front-end as a markdown table. Run in Release: dotnet run -c Release.
// Optional argument: path to silero_vad.onnx (default: artifacts/native/silero_vad.onnx above the working directory).
var rows = new List<(string Name, string Unit, double[] Samples, string Note)>();
var random = new Random(1);
float[] Noise(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.3f).ToArray();

// ---- resampler: 48 kHz -> 16 kHz in 20 ms blocks (960 in, 320 out)
{
    var input = Noise(48_000 * 10);
    var resampler = new Resampler();
    var output = new float[1024];
    var blocks = Enumerable.Range(0, input.Length / 960).ToArray();
    Time(blocks.Take(100), b => resampler.Process(input.AsSpan(b * 960, 960), output));
    var us = Time(blocks, b => resampler.Process(input.AsSpan(b * 960, 960), output)).Select(ms => ms * 1000).ToArray();
    var realtime = 20_000 / Median(us);
    var gains = string.Join(", ", new[] { 1000, 7000, 9000, 12000, 20000 }.Select(f => $"{f / 1000} kHz {ToneGainDb(f):F1} dB"));
    rows.Add(("Resampler 48→16 kHz (20 ms block)", "µs/block", us, $"{realtime:F0}× realtime, {resampler.TapCount} taps; {gains}"));
}

// ---- log-mel: 320 samples (20 ms) at 16 kHz per call
{
    var input = Noise(16_000 * 30);
    using var logMel = new LogMelFrontEnd();
    var blocks = Enumerable.Range(0, input.Length / 320).ToArray();
    long t = 0;
    Time(blocks.Take(100), b => logMel.Process(input.AsSpan(b * 320, 320), t += 960));
    var us = Time(blocks, b => logMel.Process(input.AsSpan(b * 320, 320), t += 960)).Select(ms => ms * 1000).ToArray();
    rows.Add(("Log-mel 80 bins (20 ms block)", "µs/block", us, $"{20_000 / Median(us):F0}× realtime; one frame per block, 2 FFTs of 512"));
}

// ---- Silero VAD: 512-sample (32 ms) windows
var sileroPath = args.Length > 0 ? args[0] : FindArtifact("silero_vad.onnx");
using (var model = new SileroVadModel(new SileroVadOptions { ModelPath = sileroPath }))
using (var vad = new SileroVad(model))
{
    var input = Noise(512 * 1000);
    var windows = Enumerable.Range(0, 1000).ToArray();
    Time(windows.Take(50), w => vad.Process(input.AsSpan(w * 512, 512)));
    var us = Time(windows, w => vad.Process(input.AsSpan(w * 512, 512))).Select(ms => ms * 1000).ToArray();
    rows.Add(("Silero VAD v5 (32 ms window)", "µs/window", us, $"{32_000 / Median(us):F0}× realtime, 1 intra-op thread"));
}

// ---- tiny wav2vec2 stand-in (Conv1d 400/320 to 768 channels): streaming windows and one pass
var tinyPath = TinyWav2Vec2.WriteTemp(768);
try
{
    using var model = new Wav2Vec2Model(new Wav2Vec2Options { ModelPath = tinyPath });
    using var frontEnd = new Wav2Vec2FrontEnd(model);
    var input = Noise(16_000 * 20);
    var blocks = Enumerable.Range(0, input.Length / 640).ToArray();   // 40 ms = one run of two frames
    long t = 0;
    Time(blocks.Take(60), b => frontEnd.Process(input.AsSpan(b * 640, 640), t += 1920));
    var ms = Time(blocks.Skip(60), b => frontEnd.Process(input.AsSpan(b * 640, 640), t += 1920));
    rows.Add(("Tiny wav2vec2 streaming (40 ms block)", "ms/run", ms, $"{40 / Median(ms):F0}× realtime; window 1 s context + 80 ms lookahead = 17 800 samples → 768-d"));

    var tenSeconds = Noise(160_000);
    model.Encode(tenSeconds, out _);
    var onePass = Time(Enumerable.Range(0, 10), _ => model.Encode(tenSeconds, out _));
    rows.Add(("Tiny wav2vec2 one pass (10 s)", "ms/pass", onePass, $"{10_000 / Median(onePass):F0}× realtime; 499 frames × 768"));
}
finally
{
    File.Delete(tinyPath);
}

Console.WriteLine($"RealtimeHead.Audio benchmark: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
    $"{Environment.ProcessorCount} cores, ONNX Runtime {OrtEnv.Instance().GetVersionString()} (CPU), " +
    $"Vector<float> {System.Numerics.Vector<float>.Count} lanes");
Console.WriteLine("(× realtime from the p50; the machine is shared, so p95 and mean carry other processes' load)");
Console.WriteLine();
Console.WriteLine("| Measurement | Unit | p50 | p95 | mean | Note |");
Console.WriteLine("|---|---|---:|---:|---:|---|");
foreach (var (name, unit, samples, note) in rows)
{
    Array.Sort(samples);
    Console.WriteLine($"| {name} | {unit} | {Percentile(samples, 0.5):F1} | {Percentile(samples, 0.95):F1} | {samples.Average():F1} | {note} |");
}

static double[] Time<T>(IEnumerable<T> items, Action<T> action)
{
    var times = new List<double>();
    foreach (var item in items)
    {
        var start = Stopwatch.GetTimestamp();
        action(item);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    return [.. times];
}

static double Median(double[] samples)
{
    var sorted = (double[])samples.Clone();
    Array.Sort(sorted);
    return Percentile(sorted, 0.5);
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static double ToneGainDb(double frequency)
{
    var input = new float[50_400];
    for (var n = 0; n < input.Length; n++) input[n] = (float)(0.5 * Math.Sin(2 * Math.PI * frequency * n / 48_000));
    var output = new Resampler().Process(input);
    double sum = 0;
    foreach (var s in output.AsSpan(400, 15_600)) sum += (double)s * s;
    return 20 * Math.Log10(Math.Sqrt(sum / 15_600) / (0.5 / Math.Sqrt(2)));
}

static string FindArtifact(string name)
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "artifacts", "native", name);
            if (File.Exists(candidate)) return candidate;
        }
    throw new FileNotFoundException($"artifacts/native/{name} not found: run ./setup.sh deps or pass the model path.");
}
