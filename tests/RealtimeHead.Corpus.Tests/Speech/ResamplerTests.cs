using RealtimeHead.Corpus.Speech;
using RealtimeHead.Corpus.Tests.TestSupport;

namespace RealtimeHead.Corpus.Tests.Speech;

public sealed class ResamplerTests
{
    [Fact]
    public void OutputLength_22050To16000_IsRatio()
    {
        var resampler = new Resampler(22050, 16000);
        Assert.Equal(16000, resampler.OutputLength(22050));
        Assert.Equal(320, resampler.OutputLength(441));
    }

    [Fact]
    public void Process_1kHzSine_MatchesIdealSineAtNewRate()
    {
        var input = Signals.Sine(1000, 10000, 22050, 22050);
        var output = new Resampler(22050, 16000).Process(input);
        var ideal = Signals.Sine(1000, 10000, 16000, output.Length);

        // Ignore the kernel's edge transients; in between the error is a fraction of a percent.
        var maxError = output.Skip(200).Take(output.Length - 400).Zip(ideal.Skip(200)).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(maxError < 60, $"max error {maxError} of 10000");
    }

    [Fact]
    public void Process_ToneAboveNewNyquist_IsAttenuatedBy40dB()
    {
        var input = Signals.Sine(9500, 10000, 22050, 22050);
        var output = new Resampler(22050, 16000).Process(input);

        var rms = Signals.Envelope(output.AsSpan(200, output.Length - 400), output.Length - 400)[0];
        Assert.True(rms < 10000 / Math.Sqrt(2) / 100, $"alias RMS {rms:F1}");
    }

    [Fact]
    public void Process_Silence_StaysSilent()
    {
        Assert.All(new Resampler(22050, 16000).Process(new short[1000]), s => Assert.Equal(0, s));
    }
}
