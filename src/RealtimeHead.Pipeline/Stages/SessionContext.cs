using Microsoft.Extensions.Logging;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Sync;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// What the stages of one session share: ids, clock, counters, and the flush epoch. A barge-in bumps the epoch and
/// cancels the flush token: every item carries the epoch it was made in, and a stage that meets an older one drops it
/// (counted), so nothing queued before a flush can be sent after it.
/// </summary>
internal sealed class SessionContext
{
    private CancellationTokenSource _flush = new();
    private int _epoch;

    public SessionContext(string sessionId, TimeProvider time, PipelineMetrics metrics, PipelineSessionOptions options,
        PlayoutClock clock, ILogger logger, CancellationToken lifetime)
    {
        SessionId = sessionId;
        Time = time;
        Metrics = metrics;
        Options = options;
        Clock = clock;
        Logger = logger;
        Lifetime = lifetime;
        LipSync = new LipSyncMonitor(time);
    }

    public string SessionId { get; }

    public TimeProvider Time { get; }

    public PipelineMetrics Metrics { get; }

    public PipelineSessionStats Stats { get; } = new();

    public PipelineSessionOptions Options { get; }

    public PlayoutClock Clock { get; }

    public StageActivity Activity { get; } = new();

    public LipSyncMonitor LipSync { get; }

    public ILogger Logger { get; }

    /// <summary>Cancelled when the session ends.</summary>
    public CancellationToken Lifetime { get; }

    /// <summary>Held around every video send, so a flush can wait for the one in flight.</summary>
    public SemaphoreSlim VideoSendGate { get; } = new(1, 1);

    /// <summary>Held around every audio send.</summary>
    public SemaphoreSlim AudioSendGate { get; } = new(1, 1);

    /// <summary>Media timestamp of the last video frame sent; −1 before the first.</summary>
    public long LastVideoSent { get; set; } = -1;

    /// <summary>Media position just after the last audio sample sent; −1 before the first.</summary>
    public long LastAudioSentEnd { get; set; } = -1;

    /// <summary>Set by the transport's keyframe request; the next video frame sent carries it.</summary>
    public int KeyframeRequested;

    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>Cancelled by the next flush.</summary>
    public CancellationToken FlushToken => Volatile.Read(ref _flush).Token;

    public long Now => Time.GetTimestamp();

    /// <summary>Starts a new epoch and cancels waits of the old one.</summary>
    public void BeginFlush()
    {
        var old = Interlocked.Exchange(ref _flush, new CancellationTokenSource());
        Interlocked.Increment(ref _epoch);
        // Callbacks run off this thread: a stage woken by the cancellation must not run on the flushing caller.
        _ = old.CancelAsync();
    }

    public void Drop(PipelineStage stage, DropReason reason)
    {
        Stats.AddDrop(reason);
        Metrics.RecordDrop(SessionId, stage, reason);
    }

    /// <summary>
    /// Hands one frame to the transport. The stage counts as external while the send is in flight (settling and
    /// barge-in do not wait on the transport); a send cancelled by a flush or failed by the transport is counted as a
    /// drop of <paramref name="stage"/>. Returns whether the frame was sent.
    /// </summary>
    public async ValueTask<bool> SendToPeerAsync(PipelineStage stage, string track, Func<CancellationToken, ValueTask> send)
    {
        try
        {
            Activity.MarkExternal(stage);
            try
            {
                await send(FlushToken).ConfigureAwait(false);
            }
            finally
            {
                Activity.MarkBusy(stage);
            }

            return true;
        }
        catch (OperationCanceledException) when (!Lifetime.IsCancellationRequested)
        {
            Drop(stage, DropReason.Flushed);
            return false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Drop(stage, DropReason.SendFailed);
            PipelineSession.Log.SendFailed(Logger, SessionId, track, exception);
            return false;
        }
    }

    public void RecordStage(PipelineStage stage, long start, long end)
    {
        if (start != 0 && end >= start)
        {
            Metrics.RecordStage(SessionId, stage, Time.GetElapsedTime(start, end));
        }
    }

    /// <summary>Waits (parked) until <paramref name="timestamp"/>; false if a flush (or the end) interrupted the wait.</summary>
    public async ValueTask<bool> WaitUntilAsync(PipelineStage stage, long timestamp)
    {
        var delay = Time.GetElapsedTime(Now, timestamp);
        if (delay <= TimeSpan.Zero)
        {
            return !FlushToken.IsCancellationRequested;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(Lifetime, FlushToken);
        try
        {
            // The timer exists before the stage says it is parked, and the parking is judged by that timer (see
            // StageActivity): a driver that moves a virtual clock once everything is settled (fake-clock tests, the
            // offline runner) must never see the parking without its timer, nor a deadline its timer does not keep.
            var wait = Task.Delay(delay, Time, linked.Token);
            Activity.MarkParked(stage, timestamp, wait);
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Activity.MarkBusy(stage);
        }
    }
}
