using System.Threading.Channels;
using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// 48 kHz → 16 kHz. Output timestamps stay on the 48 kHz clock: output sample <c>i</c> after a (re)start at input
/// position <c>t0</c> sits at <c>t0 + i × 3</c>. A gap or overlap in the input timestamps (concealment ended,
/// flush) restarts the filter there rather than smearing two streams together.
/// </summary>
internal sealed class ResampleStage(SessionContext context, IAudioResampler resampler, ChannelReader<PcmBlock> input,
    ChannelWriter<PcmBlock> output)
{
    private readonly long _ratio = resampler.InputRate / resampler.OutputRate;
    private int _epoch;
    private long _expectedInput = long.MinValue;
    private long _nextOutput;

    public async Task RunAsync()
    {
        try
        {
            while (await input.WaitToReadAsync(context.Lifetime).ConfigureAwait(false))
            {
                context.Activity.MarkBusy(PipelineStage.Resample);
                while (input.TryRead(out var block))
                {
                    if (block.Epoch != context.Epoch)
                    {
                        context.Drop(PipelineStage.Resample, DropReason.Flushed);
                        continue;
                    }

                    var start = context.Now;
                    if (_epoch != block.Epoch || block.MediaTimestamp != _expectedInput)
                    {
                        _epoch = block.Epoch;
                        resampler.Reset();
                        _nextOutput = block.MediaTimestamp;
                    }

                    _expectedInput = block.MediaTimestamp + block.Samples.Length;
                    var buffer = new float[(block.Samples.Length / _ratio) + 2];
                    var written = resampler.Process(block.Samples, buffer);
                    if (written > 0)
                    {
                        output.TryWrite(new PcmBlock(buffer[..written], _nextOutput, block.Arrived, block.Epoch));
                        _nextOutput += written * _ratio;
                    }

                    context.RecordStage(PipelineStage.Resample, start, context.Now);
                }

                context.Activity.MarkIdle(PipelineStage.Resample);
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

    /// <summary>Whether <paramref name="resampler"/> converts the media clock rate to an integer fraction of it.</summary>
    public static bool IsSupported(IAudioResampler resampler) =>
        resampler.InputRate == MediaClock.SampleRate && resampler.OutputRate > 0 && MediaClock.SampleRate % resampler.OutputRate == 0;
}
