using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Idle;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Pipeline.Stages;

namespace RealtimeHead.Pipeline.Windowing;

/// <summary>
/// The video grid of one session: frame <c>k</c> at media time <c>k × samplesPerFrame</c>, each produced exactly once,
/// either from its audio window (when the lookahead has arrived) or, when no audio comes for it in time, idle (silence
/// window). Frames keep flowing at the frame rate whatever the microphone does: the face idles, it never freezes.
/// Thread-safe: the window stage and the scheduler's tick both call it.
/// </summary>
internal sealed class FrameTimeline
{
    private readonly Lock _gate = new();
    private readonly SessionContext _context;
    private readonly FeatureWindower _windower;
    private readonly IdlePoseGenerator _poses;
    private readonly long _samplesPerFrame;
    private readonly long _readinessLag;
    private readonly long _graceTicks;
    private readonly float[] _silenceWindow;

    /// <param name="context">The session's shared state.</param>
    /// <param name="windower">Cuts the windows.</param>
    /// <param name="poses">Head motion.</param>
    /// <param name="samplesPerFrame">Media samples per video frame.</param>
    /// <param name="readinessLagSamples">Audio after a frame's instant needed before its window is ready (lookahead, front-end lookahead, one feature hop).</param>
    public FrameTimeline(SessionContext context, FeatureWindower windower, IdlePoseGenerator poses, long samplesPerFrame, long readinessLagSamples)
    {
        _context = context;
        _windower = windower;
        _poses = poses;
        _samplesPerFrame = samplesPerFrame;
        _readinessLag = readinessLagSamples;
        _graceTicks = (long)(context.Options.StarvationGrace.TotalSeconds * context.Time.TimestampFrequency);
        _silenceWindow = windower.SilenceWindow();
    }

    /// <summary>The next frame index to produce.</summary>
    public long NextFrameIndex
    {
        get
        {
            lock (_gate)
            {
                return _windower.NextFrameIndex;
            }
        }
    }

    /// <summary>Adds feature frames; returns the frames whose windows became ready, in order.</summary>
    public IReadOnlyList<PendingFrame> Add(FeatureBlock block)
    {
        List<PendingFrame>? ready = null;
        lock (_gate)
        {
            foreach (var (frame, speech) in block.Frames)
            {
                _windower.Add(frame.Values, frame.MediaTimestamp, speech);
            }

            var now = _context.Now;
            while (_windower.TryTake(out var windowed))
            {
                var timings = new FrameTimings { AudioArrived = block.Arrived, Featured = block.Featured, Windowed = now };
                (ready ??= []).Add(new PendingFrame(windowed.MediaTimestamp, windowed.Window, _poses.PoseAt(windowed.MediaTimestamp),
                    FrameKind.Audio, _context.Clock.PlayoutTimestamp(windowed.MediaTimestamp), block.Epoch, timings));
            }
        }

        return ready ?? (IReadOnlyList<PendingFrame>)[];
    }

    /// <summary>
    /// At a tick with nothing queued: the next frame idle if its audio should have been complete
    /// <see cref="PipelineSessionOptions.StarvationGrace"/> ago and is not. Frames whose send time has already passed
    /// are skipped (counted) so the idle face catches up with the clock instead of running late.
    /// </summary>
    public PendingFrame? TryCreateIdle(long now)
    {
        lock (_gate)
        {
            if (_windower.IsNextReady)
            {
                return null;
            }

            var k = _windower.NextFrameIndex;
            if (now < _context.Clock.CaptureTimestamp((k * _samplesPerFrame) + _readinessLag) + _graceTicks)
            {
                return null;
            }

            var latestStarved = (_context.Clock.MediaAt(now - _graceTicks) - _readinessLag) / _samplesPerFrame;
            if (_context.Clock.PlayoutTimestamp(k * _samplesPerFrame) < now && latestStarved > k)
            {
                for (var skipped = k; skipped < latestStarved; skipped++)
                {
                    _context.Drop(PipelineStage.Window, DropReason.Starved);
                }

                _windower.SkipTo(latestStarved);
            }

            var index = _windower.Skip();
            var timestamp = index * _samplesPerFrame;
            return new PendingFrame(timestamp, _silenceWindow, _poses.PoseAt(timestamp), FrameKind.Idle,
                _context.Clock.PlayoutTimestamp(timestamp), _context.Epoch, new FrameTimings { Windowed = now });
        }
    }

    /// <summary>Forgets the features (barge-in); the grid goes on.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _windower.Clear();
        }
    }

    /// <summary>Readiness lag of a front-end: <paramref name="lookaheadFeatureFrames"/> + 1 feature hops and its own lookahead.</summary>
    public static long ReadinessLagSamples(int lookaheadFeatureFrames, long featureStep, int frontEndLookahead16k) =>
        ((lookaheadFeatureFrames + 1) * featureStep) + (frontEndLookahead16k * (MediaClock.SampleRate / 16_000L));
}
