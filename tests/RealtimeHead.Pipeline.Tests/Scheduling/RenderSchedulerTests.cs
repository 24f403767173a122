using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Pipeline.Tests.TestSupport;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Tests.Scheduling;

public sealed class RenderSchedulerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(11);
    private readonly PipelineMetrics _metrics = new();
    private FakeRenderer? _renderer;
    private RenderScheduler? _scheduler;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _renderer?.Gate.Set();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        _metrics.Dispose();
    }

    [Fact]
    public async Task TickAsync_SessionsWithBacklogOverBatchCap_ServedEquallyWithinOne()
    {
        Create(new RenderSchedulerOptions { MaxBatchSize = 4, MaxSessions = 4 });
        var sessions = Enumerable.Range(0, 3).Select(i => Admit($"s{i}", pendingCapacity: 64)).ToList();
        foreach (var session in sessions)
        {
            session.Feed(60);
        }

        for (var tick = 0; tick < 31; tick++)
        {
            await Scheduler.TickAsync();
        }

        var counts = sessions.Select(s => s.Render.RenderedCount).ToList();
        Assert.Equal(31 * 4, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        Assert.All(Renderer.Batches, b => Assert.Equal(4, b.Count));
        // Different portraits share one batch.
        Assert.Equal(3, Renderer.Batches[0].Select(r => r.Portrait.PortraitId).Distinct().Count());
    }

    [Fact]
    public async Task TickAsync_OneFramePerSessionPerTick_EveryoneEveryTickInTimestampOrder()
    {
        Create(new RenderSchedulerOptions());
        var sessions = Enumerable.Range(0, 5).Select(i => Admit($"s{i}")).ToList();

        for (var tick = 0; tick < 20; tick++)
        {
            sessions.ForEach(s => s.Feed(1));
            await Scheduler.TickAsync();
        }

        Assert.All(sessions, s => Assert.Equal(20, s.Render.RenderedCount));
        Assert.All(sessions, s => Assert.Equal(Enumerable.Range(0, 20).Select(k => k * 1920L), s.Delivered().Select(v => v.MediaTimestamp)));
    }

    [Fact]
    public async Task TickAsync_OneSessionNeverReadsItsOutput_OthersUnaffectedAndItsDropsCounted()
    {
        Create(new RenderSchedulerOptions());
        var slow = Admit("slow", outputCapacity: 2);
        var fast = Enumerable.Range(0, 2).Select(i => Admit($"fast{i}")).ToList();

        for (var tick = 0; tick < 50; tick++)
        {
            slow.Feed(1);
            fast.ForEach(s => s.Feed(1));
            // A tick must never wait for a slow session: this would time out.
            await Scheduler.TickAsync().WaitAsync(TimeSpan.FromSeconds(5));
            fast.ForEach(s => s.Delivered());
        }

        Assert.All(fast, s => Assert.Equal(50, s.DeliveredCount));
        Assert.Equal(48, slow.Drops[DropReason.OutputFull]);
        Assert.Equal(50, slow.Render.RenderedCount);
    }

    [Fact]
    public async Task TickAsync_BatchOverBudget_StepsDownThenRecoversWhenLoadDrops()
    {
        Create(new RenderSchedulerOptions { RecoveryTicks = 5 });
        Renderer.Cost = (n, quality) => TimeSpan.FromMilliseconds(quality switch
        {
            RenderQuality.Full => 10 + (8 * n),
            RenderQuality.NoSuperResolution => 5 + (5 * n),
            _ => 2 + (2 * n),
        });
        var sessions = Enumerable.Range(0, 4).Select(i => Admit($"s{i}")).ToList();

        // Four sessions at Full: 42 ms > 35 ms. The first batch (nothing measured yet) misses; the ladder steps down.
        for (var tick = 0; tick < 10; tick++)
        {
            sessions.ForEach(s => s.Feed(1));
            await Scheduler.TickAsync();
        }

        Assert.Equal(DegradationLevel.NoSuperResolution, Scheduler.Level);
        Assert.Equal(RenderQuality.Full, Renderer.Batches[0][0].Quality);
        Assert.All(Renderer.Batches.Skip(1), b => Assert.Equal(RenderQuality.NoSuperResolution, b[0].Quality));
        Assert.All(sessions, s => Assert.Equal(10, s.Render.RenderedCount)); // audio-timed frames kept, every one

        // Three sessions leave: one frame at Full costs 18 ms, under 70 % of the budget.
        foreach (var session in sessions.Skip(1))
        {
            Scheduler.Remove(session.Render);
        }

        var ticksToRecover = 0;
        while (Scheduler.Level != DegradationLevel.Full && ticksToRecover < 20)
        {
            sessions[0].Feed(1);
            await Scheduler.TickAsync();
            ticksToRecover++;
        }

        Assert.Equal(DegradationLevel.Full, Scheduler.Level);
        Assert.InRange(ticksToRecover, 5, 7); // hysteresis: five calm ticks, not one
        for (var tick = 0; tick < 10; tick++)
        {
            sessions[0].Feed(1);
            await Scheduler.TickAsync();
        }

        Assert.Equal(DegradationLevel.Full, Scheduler.Level);
    }

    [Fact]
    public async Task TickAsync_NothingFits_RepeatsKeepEveryTimestamp()
    {
        Create(new RenderSchedulerOptions { RepeatProbeTicks = 1000 });
        Renderer.Cost = (_, _) => TimeSpan.FromMilliseconds(100);
        var session = Admit("a");

        for (var tick = 0; tick < 8; tick++)
        {
            session.Feed(1);
            await Scheduler.TickAsync();
        }

        var delivered = session.Delivered();
        Assert.Equal(DegradationLevel.RepeatLastFrame, Scheduler.Level);
        Assert.Equal(Enumerable.Range(0, 8).Select(k => k * 1920L), delivered.Select(v => v.MediaTimestamp));
        Assert.True(delivered.Count(v => v.Kind == FrameKind.Repeated) >= 4);
        Assert.True(session.Drops[DropReason.Degraded] >= 4);
    }

    [Fact]
    public async Task TickAsync_RenderThreadStillBusy_FramesGoOutAsRepeats()
    {
        Create(new RenderSchedulerOptions());
        var session = Admit("a");
        session.Feed(1);
        Renderer.Gate.Reset();
        var first = Scheduler.TickAsync();
        Assert.True(Renderer.Entered.Wait(TimeSpan.FromSeconds(5)));

        session.Feed(2);
        await Scheduler.TickAsync();
        await Scheduler.TickAsync();
        Renderer.Gate.Set();
        await first;

        var delivered = session.Delivered();
        Assert.Equal(2, session.Drops[DropReason.RenderOverrun]);
        Assert.Equal([1920L, 3840L, 0L], delivered.Select(v => v.MediaTimestamp));
        Assert.Equal([FrameKind.Repeated, FrameKind.Repeated, FrameKind.Audio], delivered.Select(v => v.Kind));
    }

    [Fact]
    public async Task TickAsync_RendererThrows_FramesGoOutAsRepeatsAndSchedulerGoesOn()
    {
        Create(new RenderSchedulerOptions());
        var session = Admit("a");
        Renderer.Throw = true;
        session.Feed(1);
        await Scheduler.TickAsync();
        Renderer.Throw = false;
        session.Feed(1);
        await Scheduler.TickAsync();

        Assert.Equal(1, session.Drops[DropReason.RenderFailed]);
        Assert.Equal([FrameKind.Repeated, FrameKind.Audio], session.Delivered().Select(v => v.Kind));
    }

    [Fact]
    public async Task TryDispatchReady_LastSessionSubmits_BatchOfEveryoneStartsBeforeTheTick()
    {
        Create(new RenderSchedulerOptions());
        Scheduler.Start();
        var sessions = Enumerable.Range(0, 3).Select(i => Admit($"s{i}")).ToList();

        sessions[0].Feed(1);
        sessions[1].Feed(1);
        Assert.Empty(Renderer.Batches); // one session still has nothing: the tick, not a partial batch
        sessions[2].Feed(1);

        Assert.True(SpinWait.SpinUntil(() => sessions.All(s => s.Delivered().Count == 1), TimeSpan.FromSeconds(5)));
        Assert.Equal(0, Scheduler.Ticks);
        Assert.Equal(1, Scheduler.EarlyDispatches);
        var batch = Assert.Single(Renderer.Batches);
        Assert.Equal(["s0", "s1", "s2"], batch.Select(r => r.Portrait.PortraitId).Order());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TryDispatchReady_FrameReadyWhileRendering_RendersWhenTheBatchEnds()
    {
        Create(new RenderSchedulerOptions());
        Scheduler.Start();
        var session = Admit("a");
        Renderer.Gate.Reset();
        session.Feed(1);
        Assert.True(Renderer.Entered.Wait(TimeSpan.FromSeconds(5)));

        session.Feed(1); // the render thread is busy: it waits, it is not repeated
        Assert.Null(Scheduler.TryDispatchReady());
        Renderer.Gate.Set();

        Assert.True(SpinWait.SpinUntil(() => session.Delivered().Count == 2, TimeSpan.FromSeconds(5)));
        Assert.Equal([0L, 1920L], session.Delivered().Select(v => v.MediaTimestamp));
        Assert.All(session.Delivered(), v => Assert.Equal(FrameKind.Audio, v.Kind));
        Assert.Equal(2, Scheduler.EarlyDispatches);
        Assert.Equal(0, Scheduler.Ticks);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TryDispatchReady_DisabledOrNotStarted_FramesWaitForTheTick()
    {
        Create(new RenderSchedulerOptions { DispatchWhenReady = false });
        Scheduler.Start();
        var session = Admit("a");
        session.Feed(1);
        Assert.Null(Scheduler.TryDispatchReady());
        Assert.Empty(Renderer.Batches);

        _clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(SpinWait.SpinUntil(() => session.Delivered().Count == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Scheduler.Ticks);
        Assert.Equal(0, Scheduler.EarlyDispatches);

        await Scheduler.DisposeAsync();
        Create(new RenderSchedulerOptions()); // never started: no tick, no dispatch
        var idle = Admit("b");
        idle.Feed(1);
        Assert.Null(Scheduler.TryDispatchReady());
        Assert.Empty(Renderer.Batches);
    }

    [Fact]
    public async Task CalibrateAsync_FullAndNoSuperResolutionOverBudget_LadderStartsAtLowResolution()
    {
        Create(new RenderSchedulerOptions());
        Renderer.Cost = (n, quality) => TimeSpan.FromMilliseconds(n * quality switch
        {
            RenderQuality.Full => 67,
            RenderQuality.NoSuperResolution => 48,
            _ => 12,
        });
        var session = Admit("a");

        var measured = await Scheduler.CalibrateAsync(new FakePortrait("calibration"));

        Assert.Equal(67, measured[RenderQuality.Full], 3);
        Assert.Equal(48, measured[RenderQuality.NoSuperResolution], 3);
        Assert.Equal(12, measured[RenderQuality.LowResolution], 3);
        Assert.Equal(DegradationLevel.LowResolution, Scheduler.Level);
        Assert.Equal(6, Renderer.Batches.Count); // a warm-up and a measured render per rung
        Assert.True(Scheduler.Ladder.ClimbBlockedFor > 0);

        // The first real batch goes straight to the rung that fits: no late frame walking down from Full.
        session.Feed(1);
        await Scheduler.TickAsync();
        Assert.Equal(RenderQuality.LowResolution, Renderer.Batches[^1][0].Quality);
        Assert.Equal(DegradationLevel.LowResolution, Scheduler.Level);
        Assert.Equal(0, session.Drops[DropReason.RenderOverrun]);
    }

    [Fact]
    public async Task CalibrateAsync_WhileABatchRenders_RunsAfterItAndTicksRepeatMeanwhile()
    {
        Create(new RenderSchedulerOptions());
        var session = Admit("a");
        Renderer.Gate.Reset();
        session.Feed(1);
        var first = Scheduler.TickAsync();
        Assert.True(Renderer.Entered.Wait(TimeSpan.FromSeconds(5)));

        var calibration = Scheduler.CalibrateAsync(new FakePortrait("calibration"));
        session.Feed(1);
        await Scheduler.TickAsync(); // busy: a repeat
        Assert.False(calibration.IsCompleted);
        Renderer.Gate.Set();
        await first;
        await calibration.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(7, Renderer.Batches.Count);
        Assert.Equal(1, session.Drops[DropReason.RenderOverrun]);
        Assert.False(Scheduler.IsRendering);
    }

    [Fact]
    public async Task TickAsync_LastRungAndSessionNeverRendered_FirstFrameRendersAtLowResolution()
    {
        Create(new RenderSchedulerOptions { RepeatProbeTicks = 1000 });
        Renderer.Cost = (_, _) => TimeSpan.FromMilliseconds(100);
        var veteran = Admit("veteran");
        var newcomer = Admit("newcomer"); // its audio starts later
        for (var tick = 0; tick < 4; tick++)
        {
            veteran.Feed(1);
            await Scheduler.TickAsync();
        }

        Assert.Equal(DegradationLevel.RepeatLastFrame, Scheduler.Level);
        for (var tick = 0; tick < 3; tick++)
        {
            veteran.Feed(1);
            newcomer.Feed(1);
            await Scheduler.TickAsync();
        }

        // The newcomer had no image to repeat: its first frame rendered (cheapest rung), the rest repeat it.
        Assert.Equal([FrameKind.Audio, FrameKind.Repeated, FrameKind.Repeated], newcomer.Delivered().Select(v => v.Kind));
        Assert.Equal(RenderQuality.LowResolution, Renderer.Batches[^1].Single().Quality);
        Assert.Equal("newcomer", Renderer.Batches[^1].Single().Portrait.PortraitId);
        Assert.All(veteran.Delivered().TakeLast(3), v => Assert.Equal(FrameKind.Repeated, v.Kind));
        Assert.Equal(DegradationLevel.RepeatLastFrame, Scheduler.Level);
    }

    [Fact]
    public async Task TickAsync_LoadGoneWhileOnLastRung_ProbeFigureReplacesStaleAverageAndRenderingResumes()
    {
        Create(new RenderSchedulerOptions { RepeatProbeTicks = 3 });
        var slow = true;
        Renderer.Cost = (_, _) => TimeSpan.FromMilliseconds(slow ? 100 : 10);
        var session = Admit("a");
        await Scheduler.CalibrateAsync(new FakePortrait("calibration")); // 100 ms on every rung: starts at LowResolution
        session.Feed(1);
        await Scheduler.TickAsync(); // predicted 100 ms: last rung; nothing to repeat yet, so rendered (100 ms)
        Assert.Equal(DegradationLevel.RepeatLastFrame, Scheduler.Level);

        slow = false;
        for (var tick = 0; tick < 5; tick++)
        {
            session.Feed(1);
            await Scheduler.TickAsync();
        }

        // Two repeats, then the probe: its 10 ms replaces the 100 ms average (blended, 82 ms, it would fall back).
        Assert.Equal([FrameKind.Audio, FrameKind.Repeated, FrameKind.Repeated, FrameKind.Audio, FrameKind.Audio, FrameKind.Audio],
            session.Delivered().Select(v => v.Kind));
        Assert.Equal(DegradationLevel.LowResolution, Scheduler.Level);
        Assert.Equal(10, Scheduler.CostModel.Predict(DegradationLevel.LowResolution, 1), 3);
    }

    [Fact]
    public async Task CheckAdmission_MeasuredCostOfOneMoreFrameOverBudget_RefusesWithFigures()
    {
        Create(new RenderSchedulerOptions());
        Renderer.Cost = (n, _) => TimeSpan.FromMilliseconds(10 + (8 * n));
        var sessions = Enumerable.Range(0, 3).Select(i => Admit($"s{i}")).ToList();
        Assert.True(Scheduler.CheckAdmission().Admitted); // nothing measured yet

        for (var tick = 0; tick < 3; tick++)
        {
            sessions.ForEach(s => s.Feed(1));
            await Scheduler.TickAsync();
        }

        var refusal = Scheduler.CheckAdmission();
        Assert.Equal(AdmissionRefusalReason.OverBudget, refusal.Reason);
        Assert.Contains("45.3 ms, over the 35.0 ms budget", refusal.Message);
        var fourth = new TestSession(this, "s3", 3, 4);
        Assert.Equal(AdmissionRefusalReason.OverBudget, Scheduler.TryAdmit(fourth.Render).Reason);
        Assert.Equal(3, Scheduler.SessionCount);
    }

    [Fact]
    public async Task TryAdmit_FullMeasuredOverBudget_FirstSessionAdmittedSecondRefused()
    {
        Create(new RenderSchedulerOptions());
        Renderer.Cost = (n, _) => TimeSpan.FromMilliseconds(60 * n);
        await Scheduler.CalibrateAsync(new FakePortrait("calibration"));

        var first = Scheduler.TryAdmit(new TestSession(this, "a", 3, 4).Render);
        var second = Scheduler.TryAdmit(new TestSession(this, "b", 3, 4).Render);

        Assert.True(first.Admitted, first.Message);
        Assert.Contains("No other session", first.Message);
        Assert.Equal(AdmissionRefusalReason.OverBudget, second.Reason);
        Assert.Contains("120.0 ms, over the 35.0 ms budget", second.Message);
    }

    [Fact]
    public void TryAdmit_LimitsAndDuplicates_RefusedWithReason()
    {
        Create(new RenderSchedulerOptions { MaxSessions = 2, MaxBatchSize = 8 });
        Admit("a");

        Assert.Equal(AdmissionRefusalReason.DuplicateSession, Scheduler.TryAdmit(new TestSession(this, "a", 3, 4).Render).Reason);
        Admit("b");
        Assert.Equal(AdmissionRefusalReason.SessionLimit, Scheduler.TryAdmit(new TestSession(this, "c", 3, 4).Render).Reason);
    }

    [Fact]
    public void TryAdmit_MoreSessionsThanABatchHolds_RefusedForBatchCapacity()
    {
        Create(new RenderSchedulerOptions { MaxSessions = 8, MaxBatchSize = 1 });
        Admit("a");

        var result = Scheduler.TryAdmit(new TestSession(this, "b", 3, 4).Render);

        Assert.Equal(AdmissionRefusalReason.BatchCapacity, result.Reason);
        Assert.False(result.Admitted);
    }

    [Fact]
    public async Task Start_FakeClock_TicksEveryFrameInterval()
    {
        Create(new RenderSchedulerOptions { FrameRate = 25 });
        Scheduler.Start();

        _clock.Advance(TimeSpan.FromMilliseconds(1000));

        Assert.Equal(25, Scheduler.Ticks);
        await Task.CompletedTask;
    }

    [Fact]
    public void Start_AfterASessionWasAdmitted_StillTicks()
    {
        // Admission starts the render thread; Start must still start the tick.
        Create(new RenderSchedulerOptions { FrameRate = 25 });
        Admit("early", pendingCapacity: 4);
        Scheduler.Start();

        _clock.Advance(TimeSpan.FromMilliseconds(400));

        Assert.Equal(10, Scheduler.Ticks);
    }

    [Fact]
    public void Options_EveryValueOutOfRange_AllListed()
    {
        var errors = new RenderSchedulerOptions
        {
            FrameRate = 7, RenderBudget = TimeSpan.FromSeconds(1), MaxBatchSize = 0, MaxSessions = 0, RecoveryFraction = 2,
            RecoveryTicks = 0, RepeatProbeTicks = 0, CostSmoothing = 0, UnmeasuredRungCostRatio = 2,
            ShutdownTimeout = TimeSpan.FromMinutes(5), AdmissionQuality = (RenderQuality)9, ClimbBackoffTicks = 0,
        }.Validate();

        Assert.Equal(12, errors.Count);
        Assert.Empty(new RenderSchedulerOptions().Validate());
        Assert.Throws<ArgumentException>(() => new RenderSchedulerOptions { MaxBatchSize = 0 }.ThrowIfInvalid());
    }

    private FakeRenderer Renderer => _renderer!;

    private RenderScheduler Scheduler => _scheduler!;

    private void Create(RenderSchedulerOptions options)
    {
        _renderer = new FakeRenderer(_clock);
        _scheduler = new RenderScheduler(_renderer, options, _clock, _metrics, NullLogger<RenderScheduler>.Instance);
    }

    private TestSession Admit(string id, int pendingCapacity = 4, int outputCapacity = 64)
    {
        var session = new TestSession(this, id, pendingCapacity, outputCapacity);
        var admission = Scheduler.TryAdmit(session.Render);
        Assert.True(admission.Admitted, admission.Message);
        return session;
    }

    private sealed class TestSession
    {
        private readonly Channel<RenderedVideo> _output;
        private readonly List<RenderedVideo> _delivered = [];
        private readonly long _start;
        private long _next;

        public TestSession(RenderSchedulerTests owner, string id, int pendingCapacity, int outputCapacity)
        {
            _start = owner._clock.GetTimestamp();
            _output = Channel.CreateBounded<RenderedVideo>(
                new BoundedChannelOptions(outputCapacity) { FullMode = BoundedChannelFullMode.DropOldest },
                _ => Count(DropReason.OutputFull));
            Render = new RenderSession(id, new FakePortrait(id), pendingCapacity, _output.Writer, null, () => 0, (_, reason) => Count(reason));
        }

        public RenderSession Render { get; }

        public Dictionary<DropReason, int> Drops { get; } = Enum.GetValues<DropReason>().ToDictionary(r => r, _ => 0);

        public int DeliveredCount => _delivered.Count;

        public void Feed(int frames)
        {
            for (var i = 0; i < frames; i++, _next++)
            {
                var window = new float[16 * 2];
                window[16] = _next;
                Render.Submit(new PendingFrame(_next * 1920, window, HeadPose.Frontal, FrameKind.Audio,
                    _start + (_next * TimeSpan.FromMilliseconds(40).Ticks), 0, new FrameTimings()));
            }
        }

        public List<RenderedVideo> Delivered()
        {
            while (_output.Reader.TryRead(out var item))
            {
                _delivered.Add(item);
            }

            return _delivered;
        }

        private void Count(DropReason reason)
        {
            lock (Drops)
            {
                Drops[reason]++;
            }
        }
    }
}
