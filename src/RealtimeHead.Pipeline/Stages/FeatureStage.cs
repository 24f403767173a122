using System.Threading.Channels;
using RealtimeHead.Audio;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Idle;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// Voice activity and speech features on the 16 kHz stream. Each feature frame leaves with the gate's verdict for its
/// instant; the window stage substitutes silence features where it says no speech, so noise never moves the mouth.
/// </summary>
internal sealed class FeatureStage(SessionContext context, IAudioFrontEnd frontEnd, SpeechGate gate, ChannelReader<PcmBlock> input,
    ChannelWriter<FeatureBlock> output)
{
    private int _epoch;

    public async Task RunAsync()
    {
        try
        {
            while (await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.Features);
                while (input.TryRead(out var block))
                {
                    if (block.Epoch != context.Epoch)
                    {
                        context.Drop(PipelineStage.Features, DropReason.Flushed);
                        continue;
                    }

                    if (_epoch != block.Epoch)
                    {
                        _epoch = block.Epoch;
                        frontEnd.Reset();
                        gate.Reset();
                    }

                    var start = context.Now;
                    gate.Process(block.Samples, block.MediaTimestamp);
                    var frames = frontEnd.Process(block.Samples, block.MediaTimestamp);
                    var end = context.Now;
                    context.RecordStage(PipelineStage.Features, start, end);
                    if (frames.Count == 0)
                    {
                        continue;
                    }

                    var gated = new (FeatureFrame, bool)[frames.Count];
                    for (var i = 0; i < frames.Count; i++)
                    {
                        gated[i] = (frames[i], gate.IsSpeechAt(frames[i].MediaTimestamp));
                    }

                    output.TryWrite(new FeatureBlock(gated, block.Arrived, end, block.Epoch));
                }

                context.Activity.MarkIdle(PipelineStage.Features);
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
}
