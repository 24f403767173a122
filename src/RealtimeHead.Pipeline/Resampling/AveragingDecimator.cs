using RealtimeHead.Audio;

namespace RealtimeHead.Pipeline.Resampling;

/// <summary>
/// 48 kHz → 16 kHz by averaging each group of three samples: a box filter whose first null sits at 16 kHz, so it
/// aliases more than a windowed-sinc filter would. Good enough for tests, benchmarks and energy-based features;
/// production wiring passes the windowed-sinc resampler of RealtimeHead.Audio instead.
/// Output sample <c>i</c> of a stream is the mean of input samples <c>3i..3i+2</c>.
/// </summary>
public sealed class AveragingDecimator : IAudioResampler
{
    private const int Factor = 3;
    private float _sum;
    private int _pending;

    public int InputRate => 48_000;

    public int OutputRate => 16_000;

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var written = 0;
        foreach (var sample in input)
        {
            _sum += sample;
            if (++_pending == Factor)
            {
                output[written++] = _sum / Factor;
                _sum = 0;
                _pending = 0;
            }
        }

        return written;
    }

    public void Reset()
    {
        _sum = 0;
        _pending = 0;
    }
}
