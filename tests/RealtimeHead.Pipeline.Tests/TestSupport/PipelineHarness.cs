using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Resampling;
using RealtimeHead.Pipeline.Scheduling;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>
/// A scheduler and pipeline sessions on a fake clock with fake peers. <see cref="RunAsync"/> moves time in small steps,
/// delivers each session's audio when its last sample would have been captured (plus an optional arrival delay), and
/// after every step waits (in real time, bounded) until the pipeline has settled: nothing can progress until the clock
/// moves again. Results are therefore functions of the fake clock only.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);
    private readonly List<Entry> _sessions = [];

    public PipelineHarness(RenderSchedulerOptions? schedulerOptions = null, int seed = 7, bool start = true)
    {
        Clock = new FakeTimeProvider(seed);
        Renderer = new FakeRenderer(Clock);
        Metrics = new PipelineMetrics();
        Scheduler = new RenderScheduler(Renderer, schedulerOptions ?? new RenderSchedulerOptions(), Clock, Metrics,
            NullLogger<RenderScheduler>.Instance);
        Start = Clock.GetTimestamp();
        if (start)
        {
            Scheduler.Start();
        }
    }

    public FakeTimeProvider Clock { get; }

    public FakeRenderer Renderer { get; }

    public PipelineMetrics Metrics { get; }

    public RenderScheduler Scheduler { get; }

    public long Start { get; }

    /// <summary>Media position of "now" for sessions created at <see cref="Start"/>.</summary>
    public long MediaNow => (Clock.GetTimestamp() - Start) * MediaClock.SampleRate / Clock.TimestampFrequency;

    public (PipelineSession Session, FakePeerMediaSession Peer) AddSession(string id, PipelineSessionOptions? options = null,
        IVoiceActivityDetector? voiceActivity = null, EnergyFrontEnd? frontEnd = null)
    {
        var peer = new FakePeerMediaSession(id, Clock);
        var session = new PipelineSession(peer, Renderer.EncodePortrait("face-" + id, [], 0, 0), frontEnd ?? new EnergyFrontEnd(),
            voiceActivity, new AveragingDecimator(), Scheduler, options ?? new PipelineSessionOptions(), Clock, Metrics,
            NullLogger<PipelineSession>.Instance);
        var admission = session.Start();
        Assert.True(admission.Admitted, admission.Message);
        _sessions.Add(new Entry(session, peer));
        return (session, peer);
    }

    /// <summary>
    /// Runs for <paramref name="duration"/> of fake time in <paramref name="step"/>s. <paramref name="audio"/> gives a
    /// session's frame at a media position (null: the microphone is silent, nothing is sent); <paramref name="arrivalDelay"/>
    /// adds network and jitter-buffer delay per frame (arrival order is kept).
    /// </summary>
    public async Task RunAsync(TimeSpan duration, Func<string, long, AudioFrame?>? audio = null, TimeSpan? step = null,
        Func<string, long, TimeSpan>? arrivalDelay = null, bool allowBlockedRenderer = false)
    {
        var stepSize = step ?? TimeSpan.FromMilliseconds(5);
        var end = Clock.GetTimestamp() + duration.Ticks;
        while (Clock.GetTimestamp() < end)
        {
            if (audio is not null)
            {
                foreach (var entry in _sessions)
                {
                    Deliver(entry, audio, arrivalDelay);
                }
            }

            await SettleAsync(allowBlockedRenderer);
            Advance(stepSize);
            await SettleAsync(allowBlockedRenderer);
        }
    }

    /// <summary>Moves the clock, never while the fake renderer moves it (see <see cref="FakeRenderer.ClockGate"/>).</summary>
    public void Advance(TimeSpan by)
    {
        lock (Renderer.ClockGate)
        {
            Clock.Advance(by);
        }
    }

    /// <summary>Waits until every session has settled and no batch is rendering (unless the renderer is blocked on purpose).</summary>
    public async Task SettleAsync(bool allowBlockedRenderer = false)
    {
        var watch = Stopwatch.StartNew();
        var stable = 0;
        var polls = 0;
        while (stable < 2)
        {
            var settled = (allowBlockedRenderer || !Scheduler.IsRendering) &&
                          _sessions.All(e => e.Peer.InboundPending == 0 && (e.Session.IsSettled || e.Session.Completion.IsCompleted));
            stable = settled ? stable + 1 : 0;
            if (watch.Elapsed > SettleTimeout)
            {
                throw new TimeoutException("The pipeline did not settle: " + string.Join("; ", _sessions.Select(e =>
                    $"{e.Session.SessionId} settled={e.Session.IsSettled} inbound={e.Peer.InboundPending}")) +
                    $"; rendering={Scheduler.IsRendering}");
            }

            // Yield first (the stages usually finish within a few continuations), sleep only if they do not.
            if (++polls < 50)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Renderer.Gate.Set();
        foreach (var entry in _sessions)
        {
            var dispose = entry.Session.DisposeAsync().AsTask();
            while (!dispose.IsCompleted)
            {
                Advance(TimeSpan.FromMilliseconds(100));
                await Task.WhenAny(dispose, Task.Delay(5));
            }

            await entry.Peer.DisposeAsync();
        }

        var scheduler = Scheduler.DisposeAsync().AsTask();
        while (!scheduler.IsCompleted)
        {
            Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(scheduler, Task.Delay(5));
        }

        Metrics.Dispose();
    }

    private void Deliver(Entry entry, Func<string, long, AudioFrame?> audio, Func<string, long, TimeSpan>? arrivalDelay)
    {
        var now = Clock.GetTimestamp();
        while (true)
        {
            var t = entry.NextAudio;
            var nominal = Start + ((t + TestAudio.FrameSamples) * Clock.TimestampFrequency / MediaClock.SampleRate);
            var arrival = Math.Max(entry.LastArrival, nominal + (arrivalDelay?.Invoke(entry.Session.SessionId, t).Ticks ?? 0));
            if (arrival > now)
            {
                return;
            }

            entry.LastArrival = arrival;
            entry.NextAudio += TestAudio.FrameSamples;
            if (audio(entry.Session.SessionId, t) is { } frame)
            {
                entry.Peer.Receive(frame);
            }
        }
    }

    private sealed class Entry(PipelineSession session, FakePeerMediaSession peer)
    {
        public PipelineSession Session { get; } = session;

        public FakePeerMediaSession Peer { get; } = peer;

        public long NextAudio { get; set; }

        public long LastArrival { get; set; } = long.MinValue;
    }
}
