using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using RealtimeHead.Server.Benchmarks;
using static RealtimeHead.Server.Benchmarks.Statistics;

// The live server under real browsers: join-to-first-frame and sustained fps per session for growing session counts.
// Usage: see BenchmarkOptions.Usage and README.md. Prints markdown tables to stdout, progress to stderr.
const string ChromiumPath = "/usr/bin/chromium";
var options = BenchmarkOptions.Parse(args, out var errors);
if (options is null)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, errors.Prepend("error:")) + Environment.NewLine + BenchmarkOptions.Usage);
    return 2;
}

foreach (var tool in new[] { ChromiumPath, "/usr/bin/espeak-ng", "/usr/bin/sox" })
{
    if (!File.Exists(tool))
    {
        Console.Error.WriteLine($"error: {tool} is missing; run ./setup.sh deps");
        return 2;
    }
}

if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != "PASSIVE")
{
    Console.Error.WriteLine("warning: OMP_WAIT_POLICY is not PASSIVE: libtorch's spinning threads will take the cores Chromium needs.");
}

var root = RepositoryRoot();
var work = Directory.CreateTempSubdirectory("rh-server-bench-").FullName;
try
{
    var wav = await MakeSpeechWavAsync(work);
    using var metrics = new ServerMetricsRecorder();
    Progress($"server: {options.Renderer}, {options.Threads} torch threads, auth {options.Auth}, admission at {options.Admission}");

    // Every join sample and every session count gets a freshly started server: the render scheduler's admission
    // estimate (the measured cost of a batch) outlives the sessions that measured it, so on a loaded CPU one call's
    // measurements would refuse every later join and the figures would depend on the order of the runs.
    Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync(options, root);

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args =
        [
            "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            $"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required",
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            // Several pages play video at once: none of them may be throttled as a background page.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
        ],
    });

    // 1. Join to first frame on an otherwise idle server, one session at a time.
    var joins = new List<JoinTiming>();
    var refusals = new List<string>();
    for (var i = 0; i < options.Joins; i++)
    {
        await using var server = await StartServerAsync();
        await using var peer = await BrowserPeer.OpenAsync(browser);
        try
        {
            var timing = await peer.JoinAsync(server, $"join-{i}", TimeSpan.FromSeconds(60));
            joins.Add(timing);
            Progress($"join {i + 1}/{options.Joins}: first frame after {timing.FirstFrame:F0} ms");
            await Task.Delay(1000);
        }
        catch (InvalidOperationException exception) when (IsRefusal(exception))
        {
            refusals.Add($"join {i + 1}: {Refusal(exception)}");
            Progress($"join {i + 1}/{options.Joins} refused: {Refusal(exception)}");
        }

        await peer.LeaveAsync();
        await WaitForNoSessionsAsync(metrics);
    }

    var serverFirstFrames = metrics.Reset().FirstFrameMs;

    // 2. Sustained sessions: N pages joined one after another, then measured together.
    var rows = new List<Row>();
    string? refused = null;
    foreach (var count in options.Sessions)
    {
        await using var server = await StartServerAsync();
        var peers = new List<BrowserPeer>();
        try
        {
            JoinTiming? lastJoin = null;
            for (var k = 0; k < count && refused is null; k++)
            {
                var peer = await BrowserPeer.OpenAsync(browser);
                peers.Add(peer);
                try
                {
                    lastJoin = await peer.JoinAsync(server, $"s{count}-{k}", TimeSpan.FromSeconds(60));
                }
                catch (InvalidOperationException exception) when (IsRefusal(exception))
                {
                    refused = $"session {k + 1} of {count} refused: {Refusal(exception)}";
                    Progress(refused);
                }
            }

            if (refused is not null)
            {
                break;
            }

            Progress($"{count} session(s) joined (last join: first frame after {lastJoin!.FirstFrame:F0} ms); measuring {options.Seconds:F0} s");
            await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
            rows.Add(await MeasureAsync(count, lastJoin, peers, metrics, options));
            var row = rows[^1];
            Progress($"{count} session(s): decoded {row.DecodedMean:F1} fps/session (min {row.DecodedMin:F1}), rendered {row.RenderedPerSession:F1}, server CPU {row.ServerCpu:F0} %, browser CPU {row.BrowserCpu:F0} %");
        }
        finally
        {
            foreach (var peer in peers)
            {
                try
                {
                    await peer.LeaveAsync();
                }
                catch (Exception exception) when (exception is InvalidOperationException or PlaywrightException or IOException)
                {
                    Progress("leave failed: " + exception.Message);
                }

                await peer.DisposeAsync();
            }

            await WaitForNoSessionsAsync(metrics);
        }

        if (refused is not null)
        {
            break;
        }

        if (rows[^1].DecodedMin < 0.9 * BenchmarkOptions.TargetFps)
        {
            Progress($"stopping: with {count} sessions at least one was shown under 90 % of {BenchmarkOptions.TargetFps} fps");
            break;
        }
    }

    Print(options, joins, refusals, serverFirstFrames, rows, refused);
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static async Task<Row> MeasureAsync(int count, JoinTiming lastJoin, List<BrowserPeer> peers, ServerMetricsRecorder metrics, BenchmarkOptions options)
{
    metrics.Reset();
    var before = await Task.WhenAll(peers.Select(p => p.SampleAsync()));
    var cpuBefore = ProcessUsage.CpuTime();
    var wall = Stopwatch.StartNew();
    var rss = 0.0;
    while (wall.Elapsed.TotalSeconds < options.Seconds)
    {
        await Task.Delay(1000);
        metrics.SampleGauges();
        rss = Math.Max(rss, ProcessUsage.ServerRssMiB());
    }

    var after = await Task.WhenAll(peers.Select(p => p.SampleAsync()));
    var cpuAfter = ProcessUsage.CpuTime();
    var seconds = wall.Elapsed.TotalSeconds;
    var window = metrics.Reset();

    var decoded = new List<double>();
    var presented = new List<double>();
    long dropped = 0, lost = 0;
    for (var i = 0; i < peers.Count; i++)
    {
        var pageSeconds = (after[i].EpochMs - before[i].EpochMs) / 1000;
        decoded.Add((after[i].FramesDecoded - before[i].FramesDecoded) / pageSeconds);
        presented.Add((after[i].PresentedFrames - before[i].PresentedFrames) / pageSeconds);
        dropped += after[i].FramesDropped - before[i].FramesDropped;
        lost += after[i].PacketsLost - before[i].PacketsLost;
    }

    var kinds = window.FramesByKind;
    long sent = kinds.Values.Sum();
    long repeated = kinds.GetValueOrDefault("repeated");
    var batches = window.RenderByQuality.Sum(q => q.Value.Count);
    var rungs = batches == 0
        ? "none"
        : string.Join(", ", window.RenderByQuality.OrderByDescending(q => q.Value.Count).Select(q => $"{q.Key} {100.0 * q.Value.Count / batches:F0}%"));
    var cores = Environment.ProcessorCount;
    return new Row(
        count, lastJoin, Mean(decoded), decoded.Min(), Mean(presented), presented.Min(),
        (sent - repeated) / seconds / count, sent == 0 ? double.NaN : 100.0 * repeated / sent, rungs, Mean(window.DegradationLevels),
        window, dropped, lost,
        100 * (cpuAfter.Server - cpuBefore.Server).TotalSeconds / (seconds * cores),
        100 * (cpuAfter.Browser - cpuBefore.Browser).TotalSeconds / (seconds * cores),
        rss, ProcessUsage.LoadAverage());
}

static async Task WaitForNoSessionsAsync(ServerMetricsRecorder metrics)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(20))
    {
        if (metrics.ActiveSessions() == 0)
        {
            return;
        }

        await Task.Delay(200);
    }

    Progress("warning: sessions still open 20 s after leaving");
}

static bool IsRefusal(InvalidOperationException exception) => exception.Message.Contains("HubException: capacity_full", StringComparison.Ordinal);

static string Refusal(InvalidOperationException exception) =>
    exception.Message[(exception.Message.IndexOf("HubException: ", StringComparison.Ordinal) + "HubException: ".Length)..];

static void Print(BenchmarkOptions options, List<JoinTiming> joins, List<string> refusals, List<double> serverFirstFrames, List<Row> rows, string? refused)
{
    var renderer = options.Renderer == "still" ? "still portrait renderer" : "S3D-NeRF tiny (untrained weights; the cost does not depend on them)";
    Console.WriteLine($"Live server, {renderer}, {options.Threads} torch threads, {Environment.ProcessorCount} cores, auth {options.Auth}; " +
        $"headless Chromium on the same machine, one page per session, fake microphone = espeak-ng speech; " +
        $"admission at {options.Admission}; {options.Seconds:F0} s measured per row after {options.Warmup:F0} s; load average at the end {ProcessUsage.LoadAverage()}; {DateTime.Now:yyyy-MM-dd HH:mm}");
    Console.WriteLine();
    Console.WriteLine($"Join to first frame, {joins.Count} joins on an otherwise idle server (ms from the Join call; p50 / p95 / max)" +
        (refusals.Count == 0 ? ":" : $"; {refusals.Count} of {joins.Count + refusals.Count} joins were refused ({string.Join("; ", refusals)}):"));
    Console.WriteLine();
    Console.WriteLine("| Join answered | offer made (getUserMedia + ICE gathering) | Offer answered | ICE + DTLS connected | first frame presented | server: session start → first frame sent |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Console.WriteLine($"| {Ppm(joins.Select(j => j.Join))} | {Ppm(joins.Select(j => j.OfferCreated))} | {Ppm(joins.Select(j => j.OfferAnswered))} | " +
        $"{Ppm(joins.Select(j => j.Connected))} | {Ppm(joins.Select(j => j.FirstFrame))} | {Ppm(serverFirstFrames)} |");
    Console.WriteLine();
    Console.WriteLine($"Sustained sessions (a session holds when the page is shown ≥ 90 % of {BenchmarkOptions.TargetFps:F0} fps):");
    Console.WriteLine();
    Console.WriteLine("| sessions | last join → first frame ms | decoded fps/session mean (min) | presented fps/session mean (min) | rendered fps/session (server) | repeated % | rungs (share of batches) | mean degradation level | render deadline misses | mouth-to-wire p50 / p95 ms | lip offset abs p95 ms | frames dropped / packets lost (browser) | server CPU % | browser CPU % | server RSS MiB | load |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Sessions} | {r.LastJoin.FirstFrame:F0} | {r.DecodedMean:F1} ({r.DecodedMin:F1}) | {r.PresentedMean:F1} ({r.PresentedMin:F1}) | {r.RenderedPerSession:F1} | {r.RepeatedPercent:F0} | {r.Rungs} | {r.MeanLevel:F2} | {r.Window.DeadlineMisses} | " +
            $"{Ms(Percentile(r.Window.MouthToWireMs, 50))} / {Ms(Percentile(r.Window.MouthToWireMs, 95))} | {Percentile(r.Window.LipOffsetMs, 95):F1} | {r.Dropped} / {r.Lost} | {r.ServerCpu:F0} | {r.BrowserCpu:F0} | {r.RssMiB:F0} | {r.Load} |"));
    }

    if (refused is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"Stopped: {refused.TrimEnd('.')}.");
    }

    Console.WriteLine();
    Console.WriteLine("Server-side stage latency during the measurement, ms (p50 / p95):");
    Console.WriteLine();
    string[] stages = ["resample", "features", "window", "render_queue", "render", "convert", "send", "audio_out"];
    Console.WriteLine("| sessions | " + string.Join(" | ", stages) + " |");
    Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", stages.Length)));
    foreach (var r in rows)
    {
        Console.WriteLine($"| {r.Sessions} | " + string.Join(" | ", stages.Select(s =>
            r.Window.Stages.TryGetValue(s, out var values) ? string.Create(CultureInfo.InvariantCulture, $"{Percentile(values, 50):F1} / {Percentile(values, 95):F1}") : "–")) + " |");
    }

    static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("F0", CultureInfo.InvariantCulture);

    static string Ppm(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        return list.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(list, 50):F0} / {Percentile(list, 95):F0} / {list.Max():F0}");
    }
}

static async Task<string> MakeSpeechWavAsync(string directory)
{
    var raw = Path.Combine(directory, "speech-raw.wav");
    var wav = Path.Combine(directory, "speech.wav");
    // A few seconds of speech with pauses; Chromium loops the file, so the avatar talks and idles in turn.
    await RunAsync("espeak-ng", "-w", raw, "-s", "150", "Hello, I am calling about the benchmark. Can you hear me well? Let us talk for a while.");
    await RunAsync("sox", raw, "-r", "48000", "-c", "1", "-b", "16", wav, "pad", "0", "1");
    return wav;
}

static async Task RunAsync(string file, params string[] arguments)
{
    var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    using var process = Process.Start(info)!;
    var error = await process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
    }
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "RealtimeHead.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

/// <summary>One measured session count.</summary>
internal sealed record Row(
    int Sessions, JoinTiming LastJoin, double DecodedMean, double DecodedMin, double PresentedMean, double PresentedMin,
    double RenderedPerSession, double RepeatedPercent, string Rungs, double MeanLevel, ServerMetricsRecorder.Snapshot Window,
    long Dropped, long Lost, double ServerCpu, double BrowserCpu, double RssMiB, string Load);
