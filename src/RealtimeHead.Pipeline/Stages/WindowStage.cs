using System.Threading.Channels;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Pipeline.Windowing;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>Feature frames in, one ready window per video frame out to the session's render queue.</summary>
internal sealed class WindowStage(SessionContext context, FrameTimeline timeline, ChannelReader<FeatureBlock> input, RenderSession render)
{
    public async Task RunAsync()
    {
        try
        {
            while (await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.Window);
                while (input.TryRead(out var block))
                {
                    if (block.Epoch != context.Epoch)
                    {
                        context.Drop(PipelineStage.Window, DropReason.Flushed);
                        continue;
                    }

                    foreach (var frame in timeline.Add(block))
                    {
                        context.RecordStage(PipelineStage.Window, context.Clock.CaptureTimestamp(frame.MediaTimestamp), frame.Timings.Windowed);
                        render.Submit(frame);
                    }
                }

                context.Activity.MarkIdle(PipelineStage.Window);
            }
        }
        catch (OperationCanceledException) when (context.Lifetime.IsCancellationRequested)
        {
        }
    }
}
