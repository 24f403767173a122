using RealtimeHead.Audio.Features;

namespace RealtimeHead.Audio.Tests.Features;

public sealed class LogMelFrontEndTests
{
    private const long Anchor = 1_234_567;

    private static List<FeatureFrame> ProcessInChunks(IAudioFrontEnd frontEnd, float[] signal, int[] chunkSizes, long anchor = Anchor)
    {
        var frames = new List<FeatureFrame>();
        for (int position = 0, c = 0; position < signal.Length; c++)
        {
            var n = Math.Min(chunkSizes[c % chunkSizes.Length], signal.Length - position);
            frames.AddRange(frontEnd.Process(signal.AsSpan(position, n), anchor + position * 3L));
            position += n;
        }
        return frames;
    }

    [Fact]
    public void Properties_Defaults_80Bins50HzLookahead280()
    {
        using var frontEnd = new LogMelFrontEnd();
        Assert.Equal("log-mel", frontEnd.Name);
        Assert.Equal(80, frontEnd.FeatureDim);
        Assert.Equal(50, frontEnd.FramesPerSecond);
        Assert.Equal(280, frontEnd.LookaheadSamples);
    }

    [Fact]
    public void Process_FrameEmittedExactlyWhenLookaheadArrives()
    {
        using var frontEnd = new LogMelFrontEnd();
        // Frame 0 is centred on sample 160 and needs 280 samples after it: 440 in all.
        Assert.Empty(frontEnd.Process(new float[439], Anchor));
        var frames = frontEnd.Process(new float[1], Anchor + 439 * 3);
        var frame = Assert.Single(frames);
        Assert.Equal(Anchor + 160 * 3, frame.MediaTimestamp);
    }

    [Fact]
    public void Process_TwoSeconds_50FramesPerSecondOn20msGrid()
    {
        using var frontEnd = new LogMelFrontEnd();
        var frames = ProcessInChunks(frontEnd, TestAudio.Noise(32_000, 0.1, 1), [320]);
        // Frame j needs samples up to 320j + 440: j ≤ (32000 − 440) / 320.
        Assert.Equal((32_000 - 440) / 320 + 1, frames.Count);
        var more = ProcessInChunks(frontEnd, TestAudio.Noise(16_000, 0.1, 2), [320], Anchor + 32_000 * 3);
        Assert.Equal(50, more.Count);
        var all = frames.Concat(more).ToList();
        for (var j = 0; j < all.Count; j++)
        {
            Assert.Equal(Anchor + (320L * j + 160) * 3, all[j].MediaTimestamp);
            Assert.Equal(80, all[j].Values.Length);
        }
    }

    [Fact]
    public void Process_OddChunks_EqualsOneShot()
    {
        var signal = TestAudio.Noise(24_001, 0.3, 9);
        using var oneShot = new LogMelFrontEnd();
        var expected = oneShot.Process(signal, Anchor);
        using var streaming = new LogMelFrontEnd();
        var actual = ProcessInChunks(streaming, signal, [1, 17, 320, 999, 5]);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].MediaTimestamp, actual[i].MediaTimestamp);
            Assert.Equal(expected[i].Values, actual[i].Values);
        }
    }

    [Theory]
    [InlineData(40)]
    [InlineData(60)]
    public void Process_ToneAtFilterCentre_PeaksInThatFilter(int bin)
    {
        using var frontEnd = new LogMelFrontEnd();
        var frequency = frontEnd.MelCentreFrequencies[bin];
        var frames = frontEnd.Process(TestAudio.Sine(frequency, 16_000, 8000), Anchor);
        foreach (var frame in frames.Skip(2))
            Assert.Equal(bin, Array.IndexOf(frame.Values, frame.Values.Max()));
    }

    [Fact]
    public void Process_1kHzTone_PeaksInNearestFilter()
    {
        using var frontEnd = new LogMelFrontEnd();
        var centres = frontEnd.MelCentreFrequencies;
        var nearest = Enumerable.Range(0, centres.Count).MinBy(m => Math.Abs(centres[m] - 1000));
        var frames = frontEnd.Process(TestAudio.Sine(1000, 16_000, 8000), Anchor);
        var frame = frames[10];
        Assert.Equal(nearest, Array.IndexOf(frame.Values, frame.Values.Max()));
        // Far from the tone the energy is window leakage only: at least 60 dB (≈ 13.8 in ln of power) lower.
        Assert.True(frame.Values[nearest] - frame.Values[^1] > 13.8);
    }

    [Fact]
    public void Process_Silence_GivesLogFloor()
    {
        using var frontEnd = new LogMelFrontEnd();
        var frames = frontEnd.Process(new float[3200], Anchor);
        Assert.NotEmpty(frames);
        Assert.All(frames.SelectMany(f => f.Values), v => Assert.Equal(MathF.Log(1e-10f), v, 4));
    }

    [Fact]
    public void AnalyseWindow_Tone_MatchesDirectDftThroughFilters()
    {
        using var frontEnd = new LogMelFrontEnd();
        var window = TestAudio.Sine(440, 16_000, 400, amplitude: 0.7, phase: 0.3);
        var logMel = new float[80];
        frontEnd.AnalyseWindow(window, logMel);

        // Reference: Hann window, direct DFT of the zero-padded 512-point frame, same filters.
        var power = new float[257];
        for (var k = 0; k <= 256; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < 400; n++)
            {
                var x = window[n] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 400));
                re += x * Math.Cos(-2 * Math.PI * k * n / 512);
                im += x * Math.Sin(-2 * Math.PI * k * n / 512);
            }
            power[k] = (float)(re * re + im * im);
        }
        var bank = new MelFilterBank(80, 512, 16_000, 0, 8000);
        var mel = new float[80];
        bank.Apply(power, mel);
        for (var m = 0; m < 80; m++)
        {
            var expected = Math.Log(Math.Max(mel[m], 1e-10));
            // Leakage bins far from the tone are tiny: compare where the energy is meaningful.
            if (expected > -10) Assert.Equal(expected, logMel[m], 2);
        }
    }

    [Fact]
    public void Reset_ThenSameAudio_SameFramesFromNewAnchor()
    {
        using var frontEnd = new LogMelFrontEnd();
        var signal = TestAudio.Noise(4000, 0.2, 4);
        var first = frontEnd.Process(signal, 0);
        frontEnd.Reset();
        var second = frontEnd.Process(signal, 48_000);
        Assert.Equal(first.Count, second.Count);
        Assert.Equal(first[3].Values, second[3].Values);
        Assert.Equal(first[3].MediaTimestamp + 48_000, second[3].MediaTimestamp);
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogMelFrontEnd(new LogMelOptions { MelBins = 2, MaxFrequencyHz = 9000, LogFloor = 0 }));
        Assert.Contains("MelBins", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFrequencyHz", error.Message, StringComparison.Ordinal);
        Assert.Contains("LogFloor", error.Message, StringComparison.Ordinal);
    }
}
