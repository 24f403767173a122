using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Pipeline;
using RealtimeHead.Pipeline.Benchmarks;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Resampling;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Audio;
using RealtimeHead.Audio.Features;
using RealtimeHead.Audio.Resampling;
using RealtimeHead.Model.Inference;
using RealtimeHead.Rendering;

// Sustained fps and per-stage latency of the streaming pipeline, real clock, 1/2/4 sessions on one scheduler.
// Usage: dotnet run -c Release [-- seconds-per-run [frame-size]]: synthetic busy-wait renderer (30/10 ms profiles).
//        dotnet run -c Release -- s3d [seconds-per-run [threads [lookahead-feature-frames [smoothing-radius]]]]: the real
//        tiny S3D-NeRF (the bundled trained model when present), log-mel front-end and
//        windowed-sinc resampler (run with OMP_WAIT_POLICY=PASSIVE on a shared CPU). Prints markdown tables.
var s3d = args.Length > 0 && args[0] == "s3d";
var rest = s3d ? args[1..] : args;
var seconds = rest.Length > 0 ? double.Parse(rest[0], CultureInfo.InvariantCulture) : 8;
var results = new List<Result>();
var sessionOptions = new PipelineSessionOptions();
// A/B switches (environment): RH_BENCH_SESSIONS=1,2,4 (the session counts), RH_BENCH_CALIBRATE=0 (no calibration: the
// ladder walks down from Full), RH_BENCH_DISPATCH=0 (render on ticks only), RH_BENCH_DECAY_MS=1 (voice-delay fall per frame).
var sessionCounts = (Environment.GetEnvironmentVariable("RH_BENCH_SESSIONS") ?? "1,2,4").Split(',').Select(int.Parse).ToArray();
var calibrate = Environment.GetEnvironmentVariable("RH_BENCH_CALIBRATE") != "0";
var schedulerOptions = new RenderSchedulerOptions { DispatchWhenReady = Environment.GetEnvironmentVariable("RH_BENCH_DISPATCH") != "0" };
if (Environment.GetEnvironmentVariable("RH_BENCH_DECAY_MS") is { } decay)
{
    sessionOptions = sessionOptions with { AvDelayDecayPerFrame = TimeSpan.FromMilliseconds(double.Parse(decay, CultureInfo.InvariantCulture)) };
}

string title;
if (s3d)
{
    var threads = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
    sessionOptions = sessionOptions with
    {
        LookaheadFeatureFrames = rest.Length > 2 ? int.Parse(rest[2], CultureInfo.InvariantCulture) : sessionOptions.LookaheadFeatureFrames,
        SmoothingRadius = rest.Length > 3 ? int.Parse(rest[3], CultureInfo.InvariantCulture) : sessionOptions.SmoothingRadius,
    };
    RealtimeHead.Torch.torch.set_num_threads(threads);
    using var model = S3DNeRFModelFactory.CreateRenderer();
    var portrait = S3DParts.Portrait(model.FrameSize);
    // A server warms the model before admitting anyone; libtorch's first calls allocate and are slow. The medians of
    // batch-1 renders per rung also tell what the ladder has to work with on this machine now.
    var costs = S3DParts.MeasureRungs(model, model.EncodePortrait("warm-up", portrait, model.FrameSize, model.FrameSize));
    Console.WriteLine("Batch-1 render median ms by rung (after warm-up): " +
        string.Join(", ", costs.Select(c => $"{c.Quality} {c.Milliseconds:F1}")) + $"; load average {S3DParts.LoadAverage()}");
    foreach (var sessions in sessionCounts)
    {
        results.Add(await RunAsync("S3D-NeRF tiny", model, sessions, seconds, sessionOptions, schedulerOptions, calibrate,
            () => new LogMelFrontEnd(), () => new Resampler(), id => model.EncodePortrait(id, portrait, model.FrameSize, model.FrameSize)));
    }

    title = $"Pipeline with the real tiny S3D-NeRF ({model.FrameSize}x{model.FrameSize}, render {model.Inference.Config.RenderSize}x{model.Inference.Config.RenderSize}), " +
        $"log-mel front-end, windowed-sinc resampler, energy gate; {seconds:F0} s per run after 2 s warm-up, 25 fps target, budget 35 ms, " +
        $"{threads} torch threads, {Environment.ProcessorCount} cores; lookahead {sessionOptions.LookaheadFeatureFrames} feature frames, " +
        $"smoothing radius {sessionOptions.SmoothingRadius}; voice delay falls {sessionOptions.AvDelayDecayPerFrame.TotalMilliseconds:F0} ms/frame; " +
        $"calibrated {calibrate}, dispatch when ready {schedulerOptions.DispatchWhenReady}; load average at the end {S3DParts.LoadAverage()}";
}
else
{
    var frameSize = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 256;
    var profiles = new (string Name, double PerBatch, double PerItem)[] { ("30 ms + 5 ms/frame", 30, 5), ("10 ms + 3 ms/frame", 10, 3) };
    foreach (var (name, perBatch, perItem) in profiles)
    {
        foreach (var sessions in sessionCounts)
        {
            var renderer = new SyntheticRenderer(perBatch, perItem, frameSize);
            results.Add(await RunAsync(name, renderer, sessions, seconds, sessionOptions, schedulerOptions, calibrate, () => new SyntheticFrontEnd(), () => new AveragingDecimator(),
                id => renderer.EncodePortrait(id, [], 0, 0)));
        }
    }

    title = $"Pipeline, {seconds:F0} s per run after 2 s warm-up, {frameSize}x{frameSize} frames, 25 fps target, budget 35 ms, " +
        $"{Environment.ProcessorCount} cores";
}

Console.WriteLine(title);
Console.WriteLine();
Console.WriteLine("| renderer | sessions | fps/session sent (min) | rendered fps/session | repeated % | rungs (share of batches) | first frame ms | mouth-to-wire p50 / p95 / p99 ms | A/V delay ms | lip offset abs p95 / max ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var r in results)
{
    Console.WriteLine($"| {r.Profile} | {r.Sessions} | {r.Fps:F1} ({r.MinFps:F1}) | {r.Fps * (1 - (r.RepeatedPercent / 100)):F1} | {r.RepeatedPercent:F0} | {r.Rungs} | {r.FirstFrameMs:F0} | " +
        $"{P(r.Stages, "mouth_to_wire", 50):F0} / {P(r.Stages, "mouth_to_wire", 95):F0} / {P(r.Stages, "mouth_to_wire", 99):F0} | {r.AvDelayMs:F0} | {r.LipP95:F1} / {r.LipMax:F1} |");
}

Console.WriteLine();
Console.WriteLine("Per-stage latency, ms (p50 / p95 / p99):");
Console.WriteLine();
string[] stageNames = ["resample", "features", "window", "render_queue", "render", "convert", "send", "audio_out"];
Console.WriteLine("| renderer | sessions | " + string.Join(" | ", stageNames) + " |");
Console.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", stageNames.Length)));
foreach (var r in results)
{
    Console.WriteLine($"| {r.Profile} | {r.Sessions} | " +
        string.Join(" | ", stageNames.Select(s => $"{P(r.Stages, s, 50):F1} / {P(r.Stages, s, 95):F1} / {P(r.Stages, s, 99):F1}")) + " |");
}

static double P(Dictionary<string, List<double>> stages, string stage, double percentile)
{
    if (!stages.TryGetValue(stage, out var values) || values.Count == 0)
    {
        return double.NaN;
    }

    values.Sort();
    return values[(int)Math.Min(values.Count - 1, Math.Ceiling(percentile / 100 * values.Count) - 1)];
}

static async Task<Result> RunAsync(string profile, ITalkingHeadRenderer renderer, int sessionCount, double seconds,
    PipelineSessionOptions sessionOptions, RenderSchedulerOptions schedulerOptions, bool calibrate, Func<IAudioFrontEnd> frontEnds, Func<IAudioResampler> resamplers, Func<string, IPortraitEncoding> encode)
{
    using var metrics = new PipelineMetrics();
    var stages = new ConcurrentDictionary<string, List<double>>();
    var levels = new ConcurrentDictionary<string, long>();
    var lip = new List<double>();
    var measuring = false;
    using var listener = new MeterListener
    {
        InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        },
    };
    listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
    {
        if (!Volatile.Read(ref measuring))
        {
            return;
        }

        var key = instrument.Name switch
        {
            "realtimehead.pipeline.stage.duration" => Tag(tags, "stage"),
            "realtimehead.pipeline.mouth_to_wire" => "mouth_to_wire",
            "realtimehead.pipeline.lip_offset" => "lip",
            "realtimehead.pipeline.render.duration" => "rung:" + Tag(tags, "quality"),
            _ => null,
        };
        if (key == "lip")
        {
            lock (lip)
            {
                lip.Add(Math.Abs(value));
            }
        }
        else if (key?.StartsWith("rung:", StringComparison.Ordinal) == true)
        {
            levels.AddOrUpdate(key[5..], 1, (_, n) => n + 1);
        }
        else if (key is not null)
        {
            var list = stages.GetOrAdd(key, _ => []);
            lock (list)
            {
                list.Add(value);
            }
        }
    });
    listener.Start();

    await using var scheduler = new RenderScheduler(renderer, schedulerOptions, TimeProvider.System, metrics,
        NullLogger<RenderScheduler>.Instance);
    scheduler.Start();
    var peers = new List<SpeakingPeer>();
    var sessions = new List<PipelineSession>();
    var portraits = new List<IPortraitEncoding>();
    for (var i = 0; i < sessionCount; i++)
    {
        var peer = new SpeakingPeer($"bench{i}", TimeProvider.System.GetTimestamp());
        portraits.Add(encode(peer.SessionId));
        peers.Add(peer);
        sessions.Add(new PipelineSession(peer, portraits[^1], frontEnds(), null, resamplers(), scheduler, sessionOptions,
            TimeProvider.System, metrics, NullLogger<PipelineSession>.Instance));
    }

    foreach (var session in sessions)
    {
        var admission = session.Start();
        if (!admission.Admitted)
        {
            throw new InvalidOperationException(admission.Message);
        }
    }

    // As a server does once its model is loaded: measure every rung so the ladder starts on one that fits. After
    // admission here, because the benchmark measures overload too (admission at Full would refuse every session).
    if (calibrate)
    {
        var measured = await scheduler.CalibrateAsync(portraits[0]);
        Console.Error.WriteLine($"{sessionCount} session(s): calibrated " +
            string.Join(", ", measured.Select(r => $"{r.Key} {r.Value:F1} ms")) + $", ladder at {scheduler.Level}");
    }

    using var stop = new CancellationTokenSource();
    var speakers = peers.Select(p => p.SpeakAsync(stop.Token)).ToList();
    await Task.Delay(TimeSpan.FromSeconds(2));
    var framesBefore = peers.Select(p => p.VideoFrames).ToList();
    var repeatedBefore = sessions.Sum(s => s.Stats.Frames(FrameKind.Repeated));
    var sentBefore = sessions.Sum(s => s.Stats.VideoFramesSent);
    Volatile.Write(ref measuring, true);
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, false);
    var fps = peers.Select((p, i) => (p.VideoFrames - framesBefore[i]) / seconds).ToList();
    var repeated = sessions.Sum(s => s.Stats.Frames(FrameKind.Repeated)) - repeatedBefore;
    var sent = sessions.Sum(s => s.Stats.VideoFramesSent) - sentBefore;
    var avDelay = sessions.Average(s => s.AvDelay.TotalMilliseconds);
    Console.Error.WriteLine($"{sessionCount} session(s): ladder {scheduler.Level}, ticks {scheduler.Ticks}, early dispatches {scheduler.EarlyDispatches}, " +
        $"rendering {scheduler.IsRendering}; drops " + string.Join(", ", Enum.GetValues<DropReason>()
            .Select(r => (r, n: sessions.Sum(x => x.Stats.Drops(r)))).Where(d => d.n > 0).Select(d => $"{d.r} {d.n}")));
    var firstFrame = sessions.Average(s => s.Stats.FirstFrameMs ?? double.NaN);
    await stop.CancelAsync();
    await Task.WhenAll(speakers);
    foreach (var session in sessions)
    {
        await session.DisposeAsync();
    }

    var totalRendered = Math.Max(1, levels.Values.Sum());
    var rungs = string.Join(", ", levels.OrderBy(l => l.Key).Select(l => $"{l.Key} {100.0 * l.Value / totalRendered:F0}%"));
    if (repeated > 0)
    {
        rungs += ", repeats";
    }

    lip.Sort();
    return new Result(profile, sessionCount, fps.Average(), fps.Min(), 100.0 * repeated / Math.Max(1, sent), rungs,
        stages.ToDictionary(kv => kv.Key, kv => kv.Value), avDelay, firstFrame,
        lip.Count > 0 ? lip[(int)Math.Ceiling(0.95 * lip.Count) - 1] : double.NaN, lip.Count > 0 ? lip[^1] : double.NaN);

    static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }

        return "";
    }
}

internal sealed record Result(string Profile, int Sessions, double Fps, double MinFps, double RepeatedPercent, string Rungs,
    Dictionary<string, List<double>> Stages, double AvDelayMs, double FirstFrameMs, double LipP95, double LipMax);
