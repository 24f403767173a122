using System.Threading.Channels;
using RealtimeHead.Codecs.Imaging;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// RGB24 → I420 at the session's output size. A low-resolution rung's smaller image is scaled up (nearest) so the
/// encoder never sees a size change (which would cost a keyframe). Feeds the playout clock the video-path latency of
/// audio-timed frames, which sets the outgoing voice delay.
/// </summary>
internal sealed class FrameConversionStage(SessionContext context, int outputSize, ChannelReader<RenderedVideo> input,
    ChannelWriter<ConvertedVideo> output)
{
    public async Task RunAsync()
    {
        try
        {
            while (await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.Convert);
                while (input.TryRead(out var item))
                {
                    if (item.Epoch != context.Epoch)
                    {
                        context.Drop(PipelineStage.Convert, DropReason.Flushed);
                        continue;
                    }

                    VideoFrame? frame = null;
                    if (item.Image is { } image)
                    {
                        frame = new VideoFrame(outputSize, outputSize, item.MediaTimestamp);
                        var start = context.Now;
                        if (image.Width == outputSize && image.Height == outputSize)
                        {
                            I420Conversion.RgbToI420(image.Rgb, frame);
                        }
                        else
                        {
                            I420Conversion.RgbToI420(ScaleNearest(image, outputSize), frame);
                        }

                        item.Timings.Converted = context.Now;
                        context.RecordStage(PipelineStage.Convert, start, item.Timings.Converted);
                        if (item.Kind == FrameKind.Audio)
                        {
                            context.Clock.ObserveVideoLatency(
                                context.Time.GetElapsedTime(context.Clock.CaptureTimestamp(item.MediaTimestamp), item.Timings.Converted));
                            context.Stats.SetAvDelay(context.Clock.Delay);
                        }
                    }

                    output.TryWrite(new ConvertedVideo(frame, item.MediaTimestamp, item.Kind, item.Deadline, item.Epoch, item.Timings));
                }

                context.Activity.MarkIdle(PipelineStage.Convert);
            }
        }
        catch (OperationCanceledException) when (context.Lifetime.IsCancellationRequested)
        {
        }
        finally
        {
            output.TryComplete();
        }
    }

    internal static byte[] ScaleNearest(RenderedFrame image, int size)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            var sy = (int)((long)y * image.Height / size);
            for (var x = 0; x < size; x++)
            {
                var sx = (int)((long)x * image.Width / size);
                var from = ((sy * image.Width) + sx) * 3;
                var to = ((y * size) + x) * 3;
                rgb[to] = image.Rgb[from];
                rgb[to + 1] = image.Rgb[from + 1];
                rgb[to + 2] = image.Rgb[from + 2];
            }
        }

        return rgb;
    }
}
