using RealtimeHead.Rendering;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Resampling;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests;

public sealed class PipelineSessionTests
{
    private const long SamplesPerFrame = 1920;

    [Fact]
    public async Task Run_SpeechWithRenderCostAndJitter_LipOffsetStaysWithin40Ms()
    {
        await using var harness = new PipelineHarness();
        harness.Renderer.Cost = (n, _) => TimeSpan.FromMilliseconds(18 + (2 * n));
        var (session, peer) = harness.AddSession("a");
        var jitter = new Random(3);

        await harness.RunAsync(TimeSpan.FromSeconds(4), (_, t) => TestAudio.Speech(t),
            arrivalDelay: (_, _) => TimeSpan.FromMilliseconds(jitter.Next(0, 15)));

        Assert.True(session.Stats.LipOffsetSamples > 50, $"only {session.Stats.LipOffsetSamples} offsets measured");
        Assert.InRange(session.Stats.MaxAbsLipOffsetMs, 0, 40);
        Assert.InRange(peer.Video.Count, 85, 101);
        Assert.True(peer.Audio.Count > 150);
    }

    [Fact]
    public async Task Run_SpeechWithoutLoad_VoiceDelayShrinksTowardMeasuredVideoLatency()
    {
        await using var harness = new PipelineHarness();
        var (session, _) = harness.AddSession("a");

        await harness.RunAsync(TimeSpan.FromSeconds(6), (_, t) => TestAudio.Speech(t), step: TimeSpan.FromMilliseconds(10));

        // Window ready 100 ms after its instant (lookahead 4 + one hop), up to one 40 ms tick: the delay converges
        // from its 200 ms start to the worst of that plus the 5 ms margin.
        Assert.InRange(session.AvDelay.TotalMilliseconds, 100, 160);
        Assert.InRange(session.Stats.MaxAbsLipOffsetMs, 0, 40);
    }

    [Fact]
    public async Task Run_NoAudioAtAll_IdleFramesKeep25Fps()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("idle");

        await harness.RunAsync(TimeSpan.FromSeconds(3), step: TimeSpan.FromMilliseconds(10));

        var video = peer.Video;
        // The first idle frame waits for the starvation grace and its playout time; then one frame every 40 ms.
        Assert.InRange(video.Count, 66, 76);
        Assert.All(video.Zip(video.Skip(1)), pair => Assert.Equal(SamplesPerFrame, pair.Second.MediaTimestamp - pair.First.MediaTimestamp));
        Assert.Equal(video.Count, session.Stats.Frames(FrameKind.Idle));
        var gaps = video.Skip(5).Zip(video.Skip(6), (a, b) => TimeSpan.FromTicks(b.SentAt - a.SentAt).TotalMilliseconds).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, 30, 50));
        // Never frozen: idle poses move.
        var poses = harness.Renderer.Batches.SelectMany(b => b).Select(r => r.Pose).ToList();
        Assert.True(poses.Distinct().Count() > poses.Count / 2);
    }

    [Fact]
    public async Task Run_QuietNoise_RendersSilenceFeaturesOnly()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("kiosk");

        // −70 dBFS hiss: under the −45 dBFS energy gate, so the mouth must stay closed.
        await harness.RunAsync(TimeSpan.FromSeconds(2), (_, t) => TestAudio.Noise(t, -70, 5), step: TimeSpan.FromMilliseconds(10));

        var windows = harness.Renderer.Batches.SelectMany(b => b).Select(r => r.AudioWindow).ToList();
        Assert.True(windows.Count > 30);
        Assert.All(windows, w => Assert.All(w, v => Assert.Equal(0f, v)));
        Assert.InRange(peer.Video.Count, 40, 51);
        Assert.True(session.Stats.Frames(FrameKind.Audio) > 30);
    }

    [Fact]
    public async Task Run_SpeechAfterSilence_MouthFollowsSpeechOnly()
    {
        await using var harness = new PipelineHarness();
        harness.AddSession("a");

        // 1 s of silence, then speech.
        await harness.RunAsync(TimeSpan.FromSeconds(2.5), (_, t) => t < 48_000 ? TestAudio.Silence(t) : TestAudio.Speech(t),
            step: TimeSpan.FromMilliseconds(10));

        var centres = harness.Renderer.Batches.SelectMany(b => b).Select(r => r.AudioWindow[8 * 2]).ToList();
        Assert.Contains(centres, c => c > 0.5f);
        Assert.Equal(0f, centres[0]);
    }

    [Fact]
    public async Task Run_ClickAtFrameInstant_BrightestSentFrameIsThatFrame()
    {
        await using var harness = new PipelineHarness();
        // A detector that always hears speech: one click is not speech to an energy gate.
        var (_, peer) = harness.AddSession("click", new PipelineSessionOptions { SmoothingRadius = 0, LookaheadFeatureFrames = 8 },
            new FixedVoiceActivityDetector(_ => 1f));
        const long frame = 20;
        const long clickAt = (frame * SamplesPerFrame) + 600; // inside the 20 ms analysis block that starts at the frame's instant

        await harness.RunAsync(TimeSpan.FromSeconds(1.5), (_, t) => TestAudio.Click(t, clickAt), step: TimeSpan.FromMilliseconds(10));

        // The fake renderer paints each frame with its window's centre row: only frame 20 has the click there.
        var brightest = peer.Video.MaxBy(v => v.Frame.Y[0]);
        Assert.Equal(frame * SamplesPerFrame, brightest.MediaTimestamp);
        Assert.True(brightest.Frame.Y[0] > 16);
        Assert.Single(peer.Video, v => v.Frame.Y[0] > 16);
    }

    [Fact]
    public async Task FlushAsync_WhileRendererBlocked_ReturnsSentPositionPromptly()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("barge");
        await harness.RunAsync(TimeSpan.FromSeconds(1), (_, t) => TestAudio.Speech(t));
        Assert.NotEmpty(peer.Video);

        harness.Renderer.Gate.Reset();
        harness.Renderer.Entered.Reset();
        await harness.RunAsync(TimeSpan.FromMilliseconds(60), (_, t) => TestAudio.Speech(t), allowBlockedRenderer: true);
        Assert.True(harness.Renderer.Entered.Wait(TimeSpan.FromSeconds(5)), "the render thread should be blocked in Render");
        var blockedBatch = harness.Scheduler.IsRendering;

        var result = await session.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(blockedBatch);
        Assert.True(result.Complete);
        Assert.Equal(peer.Video[^1].MediaTimestamp, result.LastVideoTimestamp);
        Assert.Equal(peer.Audio[^1].MediaTimestamp + peer.Audio[^1].Samples, result.AudioEnd);
        var videoBefore = peer.Video.Count;
        var audioBefore = peer.Audio.Count;

        // Release the renderer: the stale batch must not reach the wire; audio queued before the flush never goes out.
        harness.Renderer.Gate.Set();
        await harness.RunAsync(TimeSpan.FromMilliseconds(400));
        Assert.Equal(audioBefore, peer.Audio.Count);
        Assert.True(session.Stats.Drops(DropReason.Flushed) > 0);
        var after = peer.Video.Skip(videoBefore).ToList();
        Assert.All(after, v => Assert.True(v.MediaTimestamp > result.LastVideoTimestamp));
        Assert.NotEmpty(after); // the face goes on (idle), it does not freeze
    }

    [Fact]
    public async Task FlushAsync_TransportSendIgnoresCancellation_AnswersAfterFlushTimeout()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("stuck", new PipelineSessionOptions { FlushTimeout = TimeSpan.FromMilliseconds(100) });
        await harness.RunAsync(TimeSpan.FromSeconds(1), (_, t) => TestAudio.Speech(t));
        var hang = new TaskCompletionSource();
        peer.VideoSendHook = _ => hang.Task;
        var sentBefore = peer.Video.Count;

        // Run until a send is stuck inside the transport.
        for (var i = 0; i < 40 && session.Context.VideoSendGate.CurrentCount == 1; i++)
        {
            harness.Advance(TimeSpan.FromMilliseconds(5));
            await harness.SettleAsync(); // a stage waiting inside the transport counts as settled
        }

        Assert.Equal(0, session.Context.VideoSendGate.CurrentCount);
        var flush = session.FlushAsync();
        await Task.Delay(20);
        Assert.False(flush.IsCompleted);
        harness.Advance(TimeSpan.FromMilliseconds(100));
        var result = await flush.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(result.Complete);
        Assert.Equal(peer.Video[sentBefore - 1].MediaTimestamp, result.LastVideoTimestamp);
        hang.SetResult();
    }

    [Fact]
    public async Task DisposeAsync_TransportSendIgnoresCancellation_FinishesAfterFourFlushTimeouts()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("stuck", new PipelineSessionOptions { FlushTimeout = TimeSpan.FromMilliseconds(50) });
        var hang = new TaskCompletionSource();
        peer.VideoSendHook = _ => hang.Task;
        for (var i = 0; i < 100 && session.Context.VideoSendGate.CurrentCount == 1; i++)
        {
            harness.Advance(TimeSpan.FromMilliseconds(10));
            await harness.SettleAsync();
        }

        var dispose = session.DisposeAsync().AsTask();
        await Task.Delay(20);
        Assert.False(dispose.IsCompleted);
        harness.Advance(TimeSpan.FromMilliseconds(200));
        await dispose.WaitAsync(TimeSpan.FromSeconds(5));
        hang.SetResult();
    }

    [Fact]
    public async Task Run_TwoSessionsOneTransportStuck_OtherKeeps25Fps()
    {
        await using var harness = new PipelineHarness();
        var (stuckSession, stuckPeer) = harness.AddSession("stuck");
        var (_, goodPeer) = harness.AddSession("good");
        var never = new TaskCompletionSource();
        stuckPeer.VideoSendHook = token => never.Task.WaitAsync(token);

        await harness.RunAsync(TimeSpan.FromSeconds(2), (_, t) => TestAudio.Speech(t), step: TimeSpan.FromMilliseconds(10));

        Assert.Empty(stuckPeer.Video);
        Assert.InRange(goodPeer.Video.Count, 40, 51);
        Assert.True(stuckSession.Stats.Drops(DropReason.OutputFull) > 20);
    }

    [Fact]
    public async Task Run_RenderSlowerThanTheTick_RepeatsFillInAndEveryTimestampGoesOutInOrder()
    {
        await using var harness = new PipelineHarness();
        harness.Renderer.Cost = (_, _) => TimeSpan.FromMilliseconds(60);
        var (session, peer) = harness.AddSession("slow");

        await harness.RunAsync(TimeSpan.FromSeconds(3), (_, t) => TestAudio.Speech(t), step: TimeSpan.FromMilliseconds(10));

        var video = peer.Video;
        Assert.InRange(video.Count, 60, 76);
        Assert.All(video.Zip(video.Skip(1)), pair => Assert.Equal(SamplesPerFrame, pair.Second.MediaTimestamp - pair.First.MediaTimestamp));
        // 60 ms on every rung: the ladder ends on its last rung and probes once a second; every gap is a repeat.
        Assert.True(session.Stats.Frames(FrameKind.Repeated) > 40);
        Assert.True(session.Stats.Frames(FrameKind.Audio) >= 2);
        Assert.True(session.Stats.Drops(DropReason.RenderOverrun) + session.Stats.Drops(DropReason.Degraded) > 40);
        Assert.Equal(DegradationLevel.RepeatLastFrame, harness.Scheduler.Level);
    }

    [Fact]
    public async Task Run_InboundAudioNot48kHz_DroppedAndCounted()
    {
        await using var harness = new PipelineHarness();
        var (session, peer) = harness.AddSession("rate");

        await harness.RunAsync(TimeSpan.FromMilliseconds(500),
            (_, t) => new RealtimeHead.Media.AudioFrame(new short[480], 24_000, 1, t), step: TimeSpan.FromMilliseconds(10));

        // Frames are delivered when their last sample is due: those ending at 20..480 ms.
        Assert.Equal(24, session.Stats.Drops(DropReason.UnsupportedFormat));
        Assert.Empty(peer.Audio);
    }

    [Fact]
    public async Task Run_FourSessionsOnOneScheduler_EqualFrameCountsAndOneBatchPerTick()
    {
        await using var harness = new PipelineHarness();
        harness.Renderer.Cost = (n, _) => TimeSpan.FromMilliseconds(5 + (4 * n));
        var sessions = Enumerable.Range(0, 4).Select(i => harness.AddSession($"s{i}")).ToList();

        await harness.RunAsync(TimeSpan.FromSeconds(2), (id, t) => TestAudio.Speech(t, id == "s0" ? 0.2 : 0.5),
            step: TimeSpan.FromMilliseconds(10));

        var counts = sessions.Select(s => s.Peer.Video.Count).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        Assert.InRange(counts.Min(), 40, 51);
        Assert.Contains(harness.Renderer.Batches, b => b.Count == 4 && b.Select(r => r.Portrait.PortraitId).Distinct().Count() == 4);
        Assert.All(sessions, s => Assert.InRange(s.Session.Stats.MaxAbsLipOffsetMs, 0, 40));
    }

    [Fact]
    public async Task Run_TinyModelCostsCalibrated_EveryFrameRenderedAtLowResolutionWithoutWaitingForTheTick()
    {
        // The tiny S3D-NeRF on this project's CPU: Full 67 ms and NoSuperResolution 48 ms do not fit the 35 ms budget.
        await using var harness = new PipelineHarness();
        harness.Renderer.Cost = (n, quality) => TimeSpan.FromMilliseconds(n * quality switch
        {
            RenderQuality.Full => 67,
            RenderQuality.NoSuperResolution => 48,
            _ => 12,
        });
        var (session, peer) = harness.AddSession("tiny");
        await harness.Scheduler.CalibrateAsync(new FakePortrait("calibration"));

        await harness.RunAsync(TimeSpan.FromSeconds(4), (_, t) => TestAudio.Speech(t), step: TimeSpan.FromMilliseconds(10));

        var rendered = harness.Renderer.Batches.Skip(6).ToList();
        Assert.True(session.Stats.Frames(FrameKind.Audio) > 80, $"audio {session.Stats.Frames(FrameKind.Audio)}, repeated " +
            $"{session.Stats.Frames(FrameKind.Repeated)}, degraded {session.Stats.Drops(DropReason.Degraded)}, overrun " +
            $"{session.Stats.Drops(DropReason.RenderOverrun)}, level {harness.Scheduler.Level}, steps down {harness.Scheduler.Ladder.StepsDown}, " +
            $"up {harness.Scheduler.Ladder.StepsUp}, qualities {string.Join(",", rendered.Select(b => b[0].Quality.ToString()[0]))}");
        Assert.Equal(0, session.Stats.Frames(FrameKind.Repeated));
        // LowResolution throughout, but for at most one try of the rung above (the climb backoff: 5 s after calibration).
        Assert.True(rendered.Count(b => b[0].Quality == RenderQuality.LowResolution) >= rendered.Count - 1);
        Assert.True(harness.Scheduler.EarlyDispatches > 80);
        Assert.InRange(peer.Video.Count, 90, 103);
        // Window ready 100 ms after its instant (lookahead 4 + one hop), rendered at once (12 ms): the voice delay
        // converges to about 117 ms (+ the 10 ms steps of this test's clock), not up to a tick more.
        Assert.InRange(session.AvDelay.TotalMilliseconds, 110, 135);
    }

    [Fact]
    public async Task FlushAsync_MidSpeech_ResetsFrontEndAndLaterSpeechDrivesTheFaceAgain()
    {
        await using var harness = new PipelineHarness();
        var frontEnd = new EnergyFrontEnd();
        var (session, peer) = harness.AddSession("again", frontEnd: frontEnd);
        await harness.RunAsync(TimeSpan.FromSeconds(1), (_, t) => TestAudio.Speech(t));
        var resetsBefore = frontEnd.ResetCount;

        var result = await session.FlushAsync();
        var sentBefore = peer.Video.Count;
        await harness.RunAsync(TimeSpan.FromSeconds(1), (_, t) => TestAudio.Speech(t));

        Assert.Equal(resetsBefore + 1, frontEnd.ResetCount);
        var after = peer.Video.Skip(sentBefore).ToList();
        Assert.All(after, v => Assert.True(v.MediaTimestamp > result.LastVideoTimestamp));
        Assert.Contains(after, v => v.Frame.Y[0] > 16); // speech paints the face again
        Assert.True(peer.Audio[^1].MediaTimestamp > result.AudioEnd);
    }

    [Fact]
    public async Task Run_KeyframeRequested_NextFrameForcesKeyframe()
    {
        await using var harness = new PipelineHarness();
        var (_, peer) = harness.AddSession("kf");
        await harness.RunAsync(TimeSpan.FromMilliseconds(600));
        var before = peer.Video.Count;

        peer.RequestKeyframe();
        await harness.RunAsync(TimeSpan.FromMilliseconds(200));

        var after = peer.Video.Skip(before).ToList();
        Assert.True(after[0].Frame.ForceKeyframe);
        Assert.All(after.Skip(1), v => Assert.False(v.Frame.ForceKeyframe));
    }

    [Fact]
    public async Task Run_VideoFrames_AreI420OfTheRenderedColourWithMediaTimestamps()
    {
        await using var harness = new PipelineHarness();
        var (_, peer) = harness.AddSession("fmt");

        await harness.RunAsync(TimeSpan.FromMilliseconds(800));

        var frame = peer.Video[0].Frame;
        Assert.Equal(16, frame.Width);
        Assert.Equal(16 * 16, frame.Y.Length);
        Assert.All(frame.Y, y => Assert.Equal(16, y)); // black (silence paints 0) is Y = 16 in BT.601 limited range
        Assert.All(peer.Video, v => Assert.Equal(0, v.MediaTimestamp % SamplesPerFrame));
    }

    [Fact]
    public void Constructor_MismatchedFrontEnd_ListsEveryProblem()
    {
        var clock = new FakeTimeProvider();
        var renderer = new FakeRenderer(clock) { AudioFeatureDim = 80, AudioWindowFrames = 8 };
        using var metrics = new PipelineMetrics();
        var scheduler = new RenderScheduler(renderer, new RenderSchedulerOptions(), clock, metrics, NullLogger<RenderScheduler>.Instance);

        var error = Assert.Throws<ArgumentException>(() => new PipelineSession(new FakePeerMediaSession("x", clock),
            new FakePortrait("p"), new EnergyFrontEnd(), null, new AveragingDecimator(), scheduler,
            new PipelineSessionOptions { LookaheadFeatureFrames = 9 }, clock, metrics, NullLogger<PipelineSession>.Instance));

        Assert.Contains("2-dim features; the renderer takes 80", error.Message);
        Assert.Contains("AudioWindowFrames is 16; the renderer takes 8", error.Message);
        Assert.Contains("LookaheadFeatureFrames is 9", error.Message);
    }

    [Fact]
    public async Task Start_SecondTime_Throws()
    {
        await using var harness = new PipelineHarness();
        var (session, _) = harness.AddSession("once");

        Assert.Throws<InvalidOperationException>(() => session.Start());
    }

    [Fact]
    public async Task Start_OverSessionLimit_RefusesWithReasonAndSendsNothing()
    {
        await using var harness = new PipelineHarness(new RenderSchedulerOptions { MaxSessions = 1 });
        harness.AddSession("first");
        var clock = harness.Clock;
        var peer = new FakePeerMediaSession("second", clock);
        await using var session = new PipelineSession(peer, new FakePortrait("p"), new EnergyFrontEnd(), null, new AveragingDecimator(),
            harness.Scheduler, new PipelineSessionOptions(), clock, harness.Metrics, NullLogger<PipelineSession>.Instance);

        var admission = session.Start();
        await harness.RunAsync(TimeSpan.FromMilliseconds(500));

        Assert.False(admission.Admitted);
        Assert.Equal(AdmissionRefusalReason.SessionLimit, admission.Reason);
        Assert.Empty(peer.Video);
    }
}
