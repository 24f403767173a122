using RealtimeHead.Audio;
using RealtimeHead.Audio.Resampling;
using RealtimeHead.Pipeline.Stages;

namespace RealtimeHead.Pipeline.Tests.Resampling;

/// <summary>The windowed-sinc <see cref="Resampler"/> as the pipeline's <see cref="IAudioResampler"/>.</summary>
public sealed class ResamplerAdapterTests
{
    [Fact]
    public void Rates_AreThePipelines()
    {
        IAudioResampler resampler = new Resampler();

        Assert.Equal(48_000, resampler.InputRate);
        Assert.Equal(16_000, resampler.OutputRate);
        Assert.True(ResampleStage.IsSupported(resampler));
    }

    [Fact]
    public void Process_In20MsBlocksWithTheStagesBuffer_MatchesOneCallOverTheSignal()
    {
        var signal = Signal(48_000);
        var whole = new Resampler().Process(signal);

        IAudioResampler streaming = new Resampler();
        var streamed = new List<float>();
        for (var offset = 0; offset < signal.Length; offset += 960)
        {
            // The resample stage's buffer: block / 3 + 2.
            var buffer = new float[(960 / 3) + 2];
            var written = streaming.Process(signal.AsSpan(offset, 960), buffer);
            streamed.AddRange(buffer[..written]);
        }

        Assert.Equal(whole.Length, streamed.Count);
        // Output n is out once input 3n + DelaySamples has arrived.
        Assert.Equal(((48_000 - 1 - new Resampler().DelaySamples) / 3) + 1, streamed.Count);
        Assert.Equal(whole, streamed.ToArray());
    }

    [Fact]
    public void Reset_ThroughTheInterface_RestartsTheStream()
    {
        var signal = Signal(4_800);
        IAudioResampler resampler = new Resampler();
        var first = new float[2_000];
        var firstCount = resampler.Process(signal, first);
        resampler.Process(Signal(960, seed: 9), new float[400]);

        resampler.Reset();
        var again = new float[2_000];
        var againCount = resampler.Process(signal, again);

        Assert.Equal(firstCount, againCount);
        Assert.Equal(first[..firstCount], again[..againCount]);
    }

    private static float[] Signal(int length, int seed = 3)
    {
        var random = new Random(seed);
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (float)((0.4 * Math.Sin(2 * Math.PI * 440 * i / 48_000.0)) + (0.1 * ((random.NextDouble() * 2) - 1)));
        }

        return samples;
    }
}
