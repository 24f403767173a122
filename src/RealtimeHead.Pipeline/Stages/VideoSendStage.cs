using System.Threading.Channels;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// Holds each converted frame until its playout time and sends it, in timestamp order. Frames can reach this stage out
/// of order (a repeat made at a busy tick overtakes the render in flight), so it keeps a small reorder heap and never
/// sends a timestamp at or before one already sent. A repeat takes the latest image sent and its own timestamp.
/// </summary>
internal sealed class VideoSendStage(SessionContext context, IPeerMediaSession peer, ChannelReader<ConvertedVideo> input, long sessionStart)
{
    // Timer wake-ups are a millisecond or two late on a loaded machine; a quarter frame late is still on time.
    private static readonly TimeSpan LateTolerance = TimeSpan.FromMilliseconds(10);
    private readonly PriorityQueue<ConvertedVideo, long> _reorder = new();

    // Frames wait here for up to the largest voice delay; more than that (at up to 50 fps) means they can only be late.
    private readonly int _maxHeld = (int)(context.Options.MaxAvDelay.TotalMilliseconds / 20) + context.Options.OutputQueueCapacity;
    private VideoFrame? _lastImage;
    private bool _inputDone;

    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                context.Activity.MarkBusy(PipelineStage.Send);
                while (input.TryRead(out var item))
                {
                    _reorder.Enqueue(item, item.MediaTimestamp);
                }

                while (_reorder.Count > _maxHeld)
                {
                    _reorder.Dequeue();
                    context.Drop(PipelineStage.Send, DropReason.QueueFull);
                }

                if (_reorder.Count == 0)
                {
                    context.Activity.MarkIdle(PipelineStage.Send);
                    if (_inputDone || !await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                var next = _reorder.Peek();
                if (next.Epoch != context.Epoch)
                {
                    _reorder.Dequeue();
                    context.Drop(PipelineStage.Send, DropReason.Flushed);
                    continue;
                }

                if (next.MediaTimestamp <= context.LastVideoSent)
                {
                    _reorder.Dequeue();
                    context.Drop(PipelineStage.Send, DropReason.Stale);
                    continue;
                }

                // The playout time is read now, not when the frame was made: the voice delay may have grown since.
                if (!await WaitForDeadlineAsync(context.Clock.PlayoutTimestamp(next.MediaTimestamp)).ConfigureAwait(false))
                {
                    continue; // an earlier frame may have arrived, or a flush happened: look again.
                }

                _reorder.Dequeue();
                await SendAsync(next).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.Lifetime.IsCancellationRequested)
        {
        }
    }

    /// <summary>True once the deadline is reached; false when a new frame arrived or a flush interrupted first.</summary>
    private async Task<bool> WaitForDeadlineAsync(long deadline)
    {
        var delay = context.Time.GetElapsedTime(context.Now, deadline);
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(context.Lifetime, context.FlushToken);
        var timer = Task.Delay(delay, context.Time, wake.Token);
        // Parked only once the timer exists (see SessionContext.WaitUntilAsync).
        context.Activity.MarkParked(PipelineStage.Send, deadline, timer);
        var arrival = _inputDone ? Task.Delay(Timeout.Infinite, wake.Token) : input.WaitToReadAsync(wake.Token).AsTask();
        var first = await Task.WhenAny(timer, arrival).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        context.Activity.MarkBusy(PipelineStage.Send);
        context.Lifetime.ThrowIfCancellationRequested();
        if (first == arrival && arrival.IsCompletedSuccessfully && arrival is Task<bool> { Result: false })
        {
            _inputDone = true;
        }

        return first == timer && timer.IsCompletedSuccessfully;
    }

    private async Task SendAsync(ConvertedVideo item)
    {
        var frame = item.Frame;
        if (frame is null)
        {
            if (_lastImage is null)
            {
                context.Drop(PipelineStage.Send, DropReason.NothingToRepeat);
                return;
            }

            frame = Copy(_lastImage, item.MediaTimestamp);
        }

        long sentAt;
        await context.VideoSendGate.WaitAsync(context.Lifetime).ConfigureAwait(false);
        try
        {
            if (item.Epoch != context.Epoch)
            {
                context.Drop(PipelineStage.Send, DropReason.Flushed);
                return;
            }

            if (Interlocked.Exchange(ref context.KeyframeRequested, 0) == 1)
            {
                frame.ForceKeyframe = true;
            }

            if (!await context.SendToPeerAsync(PipelineStage.Send, "video", token => peer.SendVideoAsync(frame, token)).ConfigureAwait(false))
            {
                return;
            }

            sentAt = context.Now;
            context.LastVideoSent = item.MediaTimestamp;
            _lastImage = frame;
        }
        finally
        {
            context.VideoSendGate.Release();
        }

        Record(item, sentAt);
    }

    private void Record(ConvertedVideo item, long sentAt)
    {
        context.Stats.AddFrame(item.Kind);
        context.Metrics.RecordFrame(context.SessionId, item.Kind);
        if (item.Kind == FrameKind.Audio &&
            context.Time.GetElapsedTime(context.Clock.PlayoutTimestamp(item.MediaTimestamp), sentAt) > LateTolerance)
        {
            context.Stats.AddLate();
        }

        if (context.Stats.TrySetFirstFrame(context.Time.GetElapsedTime(sessionStart, sentAt)))
        {
            context.Metrics.RecordFirstFrame(context.SessionId, context.Time.GetElapsedTime(sessionStart, sentAt));
        }

        var timings = item.Timings;
        context.RecordStage(PipelineStage.RenderQueue, timings.Windowed, timings.RenderStarted);
        context.RecordStage(PipelineStage.Render, timings.RenderStarted, timings.RenderEnded);
        context.RecordStage(PipelineStage.Send, timings.Converted != 0 ? timings.Converted : timings.Windowed, sentAt);
        if (item.Kind == FrameKind.Audio)
        {
            context.Metrics.RecordMouthToWire(context.SessionId,
                context.Time.GetElapsedTime(context.Clock.CaptureTimestamp(item.MediaTimestamp), sentAt));
        }

        if (context.LipSync.OnVideoSent(item.MediaTimestamp, sentAt) is { } offset)
        {
            context.Stats.AddLipOffset(offset);
            context.Metrics.RecordLipOffset(context.SessionId, offset);
        }
    }

    private static VideoFrame Copy(VideoFrame source, long mediaTimestamp)
    {
        var copy = new VideoFrame(source.Width, source.Height, mediaTimestamp);
        source.Y.CopyTo(copy.Y, 0);
        source.U.CopyTo(copy.U, 0);
        source.V.CopyTo(copy.V, 0);
        return copy;
    }
}
