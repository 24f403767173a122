using System.Threading.Channels;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>
/// A session as the scheduler sees it: a bounded queue of frames waiting to render (the oldest makes room and is
/// sent as a repeat, so its timestamp still goes out), an optional idle source asked on ticks when the queue is empty,
/// and the session's output queue, written without ever waiting: a slow consumer loses its own frames, counted.
/// </summary>
internal sealed class RenderSession
{
    private readonly Channel<PendingFrame> _pending;
    private readonly ChannelWriter<RenderedVideo> _output;
    private readonly Func<long, PendingFrame?>? _idleSource;
    private readonly Func<int> _epoch;
    private readonly Action<PipelineStage, DropReason> _drop;
    private PendingFrame? _idleCandidate;
    private long _renderedCount;

    /// <param name="sessionId">Id for logs and metrics.</param>
    /// <param name="portrait">The face every frame of the session renders.</param>
    /// <param name="pendingCapacity">Frames that may wait for a tick.</param>
    /// <param name="output">The session's conversion queue.</param>
    /// <param name="idleSource">Asked at a tick with the current timestamp when nothing waits; may return an idle frame.</param>
    /// <param name="epoch">The session's current flush epoch.</param>
    /// <param name="drop">Counts a drop.</param>
    public RenderSession(string sessionId, IPortraitEncoding portrait, int pendingCapacity, ChannelWriter<RenderedVideo> output,
        Func<long, PendingFrame?>? idleSource, Func<int> epoch, Action<PipelineStage, DropReason> drop)
    {
        SessionId = sessionId;
        Portrait = portrait;
        _output = output;
        _idleSource = idleSource;
        _epoch = epoch;
        _drop = drop;
        // One writer (the window stage); read by the tick and by a flush that empties it.
        _pending = Channel.CreateBounded<PendingFrame>(
            new BoundedChannelOptions(pendingCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            dropped => Repeat(dropped, DropReason.Stale));
    }

    public string SessionId { get; }

    public IPortraitEncoding Portrait { get; }

    /// <summary>Tick of the scheduler that last rendered a frame of this session (the fairness tie-break).</summary>
    public long LastServedTick { get; set; } = -1;

    /// <summary>Frames waiting.</summary>
    public int PendingCount => _pending.Reader.Count;

    /// <summary>Frames rendered for the session (for fairness checks).</summary>
    public long RenderedCount => Interlocked.Read(ref _renderedCount);

    /// <summary>Told after each <see cref="Submit"/> (the scheduler's dispatch-when-ready check); set on admission.</summary>
    public Action? FrameSubmitted { get; set; }

    /// <summary>Queues a ready frame; never waits.</summary>
    public void Submit(PendingFrame frame)
    {
        _pending.Writer.TryWrite(frame);
        FrameSubmitted?.Invoke();
    }

    /// <summary>Empties the queue (barge-in), counting what it held.</summary>
    public void Clear()
    {
        while (_pending.Reader.TryRead(out _))
        {
            _drop(PipelineStage.RenderQueue, DropReason.Flushed);
        }

        Interlocked.Exchange(ref _idleCandidate, null);
    }

    /// <summary>The frame this session would render now: its oldest waiting frame, else an idle one if due.</summary>
    public bool TryPeekDue(long now, out PendingFrame frame)
    {
        while (_pending.Reader.TryPeek(out frame!))
        {
            if (frame.Epoch == _epoch())
            {
                return true;
            }

            _pending.Reader.TryRead(out _);
            _drop(PipelineStage.RenderQueue, DropReason.Flushed);
        }

        var idle = Volatile.Read(ref _idleCandidate);
        if (idle is not null && idle.Epoch != _epoch())
        {
            idle = null;
        }

        idle ??= _idleSource?.Invoke(now);
        Volatile.Write(ref _idleCandidate, idle);
        frame = idle!;
        return idle is not null;
    }

    /// <summary>A further queued frame for a batch with room to spare.</summary>
    public bool TryPeekQueued(out PendingFrame frame) => _pending.Reader.TryPeek(out frame!) && frame.Epoch == _epoch();

    /// <summary>Removes the frame <see cref="TryPeekDue"/> or <see cref="TryPeekQueued"/> returned.</summary>
    public PendingFrame Take(PendingFrame peeked)
    {
        if (ReferenceEquals(Volatile.Read(ref _idleCandidate), peeked))
        {
            Volatile.Write(ref _idleCandidate, null);
            return peeked;
        }

        _pending.Reader.TryRead(out var taken);
        return taken ?? peeked;
    }

    /// <summary>Hands a rendered image to the session's output.</summary>
    public void Deliver(PendingFrame frame, RenderedFrame image)
    {
        if (frame.Epoch != _epoch())
        {
            _drop(PipelineStage.Render, DropReason.Flushed);
            return;
        }

        Interlocked.Increment(ref _renderedCount);
        _output.TryWrite(new RenderedVideo(image, frame.MediaTimestamp, frame.Kind, frame.Deadline, frame.Epoch, frame.Timings));
    }

    /// <summary>
    /// Sends a repeat with <paramref name="frame"/>'s timestamp, counting why it was not rendered. The image is resolved
    /// by the send stage (the latest one sent before it), so a repeat overtaking a render in flight shows the newest face.
    /// </summary>
    public void Repeat(PendingFrame frame, DropReason reason)
    {
        if (frame.Epoch != _epoch())
        {
            _drop(PipelineStage.RenderQueue, DropReason.Flushed);
            return;
        }

        _drop(PipelineStage.RenderQueue, reason);
        _output.TryWrite(new RenderedVideo(null, frame.MediaTimestamp, FrameKind.Repeated, frame.Deadline, frame.Epoch, frame.Timings));
    }
}
