using RealtimeHead.Audio.Resampling;

namespace RealtimeHead.Audio.Tests.Resampling;

public sealed class ResamplerTests
{
    private static float[] OneShotWithFlush(Resampler resampler, float[] input)
    {
        var output = new float[resampler.GetOutputLength(input.Length) + resampler.DelaySamples / resampler.Factor + 1];
        var written = resampler.Process(input, output);
        written += resampler.Flush(output.AsSpan(written));
        return output[..written];
    }

    /// <summary>Gain in dB of a steady tone, from the RMS of the middle of the output (filter edges excluded).</summary>
    private static double ToneGainDb(double frequency)
    {
        var input = TestAudio.Sine(frequency, 48_000, 48_000 + 2400);
        var output = OneShotWithFlush(new Resampler(), input);
        var steady = output.AsSpan(400, 15_600);   // 975 whole cycles of 1 kHz at 16 kHz
        return 20 * Math.Log10(TestAudio.Rms(steady) / (0.5 / Math.Sqrt(2)));
    }

    [Fact]
    public void Process_1kHzTone_PassesWithinPoint1Db()
    {
        var gain = ToneGainDb(1000);
        Assert.InRange(gain, -0.1, 0.1);
    }

    [Theory]
    [InlineData(9000)]
    [InlineData(12000)]
    [InlineData(20000)]
    public void Process_ToneAbove8kHz_AttenuatedAtLeast60Db(double frequency)
    {
        var gain = ToneGainDb(frequency);
        Assert.True(gain <= -60, $"{frequency} Hz is attenuated by only {-gain:F1} dB");
    }

    [Fact]
    public void Process_PassbandEdge7kHz_StillFlat()
    {
        Assert.InRange(ToneGainDb(7000), -0.1, 0.1);
    }

    [Fact]
    public void Process_OddSizedBlocks_EqualsOneShot()
    {
        var input = TestAudio.Noise(20_011, 0.8, seed: 3);
        var oneShot = OneShotWithFlush(new Resampler(), input);

        var streaming = new Resampler();
        var output = new List<float>();
        var blockSizes = new[] { 1, 7, 480, 13, 961, 2, 333 };
        var buffer = new float[2048];
        for (int position = 0, b = 0; position < input.Length; b++)
        {
            var n = Math.Min(blockSizes[b % blockSizes.Length], input.Length - position);
            var written = streaming.Process(input.AsSpan(position, n), buffer);
            output.AddRange(buffer.AsSpan(0, written).ToArray());
            position += n;
        }
        var flushed = streaming.Flush(buffer);
        output.AddRange(buffer.AsSpan(0, flushed).ToArray());

        Assert.Equal(oneShot.Length, output.Count);
        Assert.Equal(oneShot, output.ToArray());
    }

    [Fact]
    public void Process_Pcm16_EqualsFloatScaledBy32768()
    {
        var pcm = new short[3001];
        var random = new Random(5);
        for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        var asFloat = Array.ConvertAll(pcm, s => s / 32768f);

        var fromShort = new Resampler();
        var a = new float[fromShort.GetOutputLength(pcm.Length)];
        Assert.Equal(a.Length, fromShort.Process(pcm, a));
        var b = new Resampler().Process(asFloat);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Process_Impulse_OutputCentredOnInputIndexOverFactor()
    {
        var input = new float[3000];
        input[1500] = 1;
        var output = OneShotWithFlush(new Resampler(), input);
        Assert.Equal(1000, output.Length);
        var peak = Array.IndexOf(output, output.Max());
        Assert.Equal(500, peak);
    }

    [Fact]
    public void Flush_AfterWholeInput_EmitsOneOutputPerFactorInputs()
    {
        var resampler = new Resampler();
        Assert.Equal(4, OneShotWithFlush(resampler, new float[10]).Length);   // inputs 0, 3, 6, 9
        Assert.Equal(160, OneShotWithFlush(resampler, new float[480]).Length);
    }

    [Fact]
    public void GetOutputLength_Always_MatchesWhatProcessWrites()
    {
        var resampler = new Resampler();
        var buffer = new float[4096];
        foreach (var n in new[] { 0, 1, 100, 241, 7, 960, 3 })
        {
            var expected = resampler.GetOutputLength(n);
            Assert.Equal(expected, resampler.Process(new float[n], buffer));
        }
    }

    [Fact]
    public void Process_OutputTooSmall_Throws()
    {
        var resampler = new Resampler();
        Assert.Throws<ArgumentException>(() => resampler.Process(new float[4800], new float[10]));
    }

    [Fact]
    public void Constructor_DefaultDesign_IsSymmetricUnitGainOddLength()
    {
        var resampler = new Resampler();
        var taps = resampler.Taps.ToArray();
        Assert.Equal(3, resampler.Factor);
        Assert.True(taps.Length % 2 == 1);
        Assert.Equal(taps.Length / 2, resampler.DelaySamples);
        for (var i = 0; i < taps.Length; i++) Assert.Equal(taps[i], taps[^(i + 1)]);
        Assert.Equal(1.0, taps.Sum(t => (double)t), 5);
    }

    [Fact]
    public void Constructor_GeneralIntegerRatio_DecimatesBy6()
    {
        var resampler = new Resampler(new ResamplerOptions { InputSampleRate = 48_000, OutputSampleRate = 8_000 });
        Assert.Equal(6, resampler.Factor);
        var output = resampler.Process(TestAudio.Sine(500, 48_000, 48_000));
        Assert.InRange(TestAudio.Rms(output.AsSpan(200, 7000)), 0.35, 0.36);   // 0.5 / √2 = 0.3536
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new Resampler(new ResamplerOptions
        {
            InputSampleRate = 44_100,
            OutputSampleRate = 16_000,
            PassbandFraction = 1.5,
            StopbandAttenuationDb = 10,
        }));
        Assert.Contains("integer decimation", error.Message, StringComparison.Ordinal);
        Assert.Contains("PassbandFraction", error.Message, StringComparison.Ordinal);
        Assert.Contains("StopbandAttenuationDb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BesselI0_KnownValues()
    {
        Assert.Equal(1.0, KaiserLowPass.BesselI0(0), 12);
        Assert.Equal(1.2660658777520082, KaiserLowPass.BesselI0(1), 12);
        Assert.Equal(2815.716628466254, KaiserLowPass.BesselI0(10), 6);
    }
}
