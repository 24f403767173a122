using System.Threading.Channels;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// First stage: reads the peer's decoded 48 kHz audio, stamps its arrival, keeps the playout clock's anchor honest,
/// and fans it out: a mono float copy to the resampler, the frame itself to the outgoing-voice delay line.
/// </summary>
internal sealed class InboundAudioStage(
    SessionContext context,
    ChannelReader<AudioFrame> inbound,
    ChannelWriter<PcmBlock> toResample,
    ChannelWriter<OutboundAudio> toAudioOut)
{
    public async Task RunAsync()
    {
        try
        {
            while (await inbound.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.Inbound);
                while (inbound.TryRead(out var frame))
                {
                    if (frame.SampleRate != MediaClock.SampleRate || frame.Channels < 1 || frame.SampleCount == 0)
                    {
                        context.Drop(PipelineStage.Inbound, DropReason.UnsupportedFormat);
                        continue;
                    }

                    var arrived = context.Now;
                    var epoch = context.Epoch;
                    context.Clock.ObserveArrival(frame.MediaTimestamp + frame.SampleCount, arrived);
                    toResample.TryWrite(new PcmBlock(ToMono(frame), frame.MediaTimestamp, arrived, epoch));
                    toAudioOut.TryWrite(new OutboundAudio(frame, arrived, epoch));
                    context.RecordStage(PipelineStage.Inbound, arrived, context.Now);
                }

                context.Activity.MarkIdle(PipelineStage.Inbound);
            }
        }
        catch (OperationCanceledException) when (context.Lifetime.IsCancellationRequested)
        {
        }
        finally
        {
            toResample.TryComplete();
            toAudioOut.TryComplete();
        }
    }

    /// <summary>Averages the channels into floats in [-1, 1).</summary>
    internal static float[] ToMono(AudioFrame frame)
    {
        var count = frame.SampleCount;
        var channels = frame.Channels;
        var mono = new float[count];
        for (var i = 0; i < count; i++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += frame.Samples[(i * channels) + c];
            }

            mono[i] = sum / (32768f * channels);
        }

        return mono;
    }
}
