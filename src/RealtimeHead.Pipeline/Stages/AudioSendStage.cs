using System.Threading.Channels;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// The outgoing voice: each inbound frame is held until its playout time (capture + the measured video-path delay)
/// and sent unchanged, so the voice leaves with the frames of the same instants (PRODUCT.md "the outgoing voice is
/// delayed to match the video").
/// </summary>
internal sealed class AudioSendStage(SessionContext context, IPeerMediaSession peer, ChannelReader<OutboundAudio> input)
{
    public async Task RunAsync()
    {
        try
        {
            while (await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.AudioOut);
                while (input.TryRead(out var item))
                {
                    if (item.Epoch != context.Epoch)
                    {
                        context.Drop(PipelineStage.AudioOut, DropReason.Flushed);
                        continue;
                    }

                    if (!await WaitForPlayoutAsync(item.Frame.MediaTimestamp).ConfigureAwait(false))
                    {
                        context.Lifetime.ThrowIfCancellationRequested();
                        context.Drop(PipelineStage.AudioOut, DropReason.Flushed);
                        continue;
                    }

                    await SendAsync(item).ConfigureAwait(false);
                }

                context.Activity.MarkIdle(PipelineStage.AudioOut);
            }
        }
        catch (OperationCanceledException) when (context.Lifetime.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits for the playout time, re-reading it after each wake: the delay may have grown meanwhile.</summary>
    private async ValueTask<bool> WaitForPlayoutAsync(long mediaTimestamp)
    {
        while (context.Now < context.Clock.PlayoutTimestamp(mediaTimestamp))
        {
            if (!await context.WaitUntilAsync(PipelineStage.AudioOut, context.Clock.PlayoutTimestamp(mediaTimestamp)).ConfigureAwait(false))
            {
                return false;
            }
        }

        return !context.FlushToken.IsCancellationRequested;
    }

    private async Task SendAsync(OutboundAudio item)
    {
        var frame = item.Frame;
        long sentAt;
        await context.AudioSendGate.WaitAsync(context.Lifetime).ConfigureAwait(false);
        try
        {
            if (item.Epoch != context.Epoch)
            {
                context.Drop(PipelineStage.AudioOut, DropReason.Flushed);
                return;
            }

            if (!await context.SendToPeerAsync(PipelineStage.AudioOut, "audio", token => peer.SendAudioAsync(frame, token)).ConfigureAwait(false))
            {
                return;
            }

            sentAt = context.Now;
            context.LastAudioSentEnd = frame.MediaTimestamp + frame.SampleCount;
        }
        finally
        {
            context.AudioSendGate.Release();
        }

        context.Stats.AddAudioFrame();
        context.Metrics.RecordAudioFrame(context.SessionId);
        context.RecordStage(PipelineStage.AudioOut, item.Arrived, sentAt);
        foreach (var offset in context.LipSync.OnAudioSent(frame.MediaTimestamp, frame.MediaTimestamp + frame.SampleCount, sentAt))
        {
            context.Stats.AddLipOffset(offset);
            context.Metrics.RecordLipOffset(context.SessionId, offset);
        }
    }
}
