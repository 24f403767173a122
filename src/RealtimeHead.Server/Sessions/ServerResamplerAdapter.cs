using RealtimeHead.Audio.Resampling;
using RealtimeHead.Pipeline.Resampling;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// RealtimeHead.Audio's windowed-sinc <see cref="Resampler"/> (48 → 16 kHz, 80 dB stop band) behind the pipeline's
/// <see cref="IAudioResampler"/>. The server's own copy: if another adapter of the same pair lands (render-cli), keep
/// one and delete the other.
/// </summary>
internal sealed class ServerResamplerAdapter : IAudioResampler
{
    private readonly Resampler _resampler = new(new ResamplerOptions { InputSampleRate = 48_000, OutputSampleRate = 16_000 });

    public int InputRate => _resampler.Options.InputSampleRate;

    public int OutputRate => _resampler.Options.OutputSampleRate;

    public int Process(ReadOnlySpan<float> input, Span<float> output) => _resampler.Process(input, output);

    public void Reset() => _resampler.Reset();
}
