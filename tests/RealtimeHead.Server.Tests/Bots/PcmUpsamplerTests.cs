using RealtimeHead.Server.Bots;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class PcmUpsamplerTests
{
    [Theory]
    [InlineData(16_000)]
    [InlineData(22_050)]
    [InlineData(24_000)]
    public void Convert_OneSecondSine_KeepsDurationFrequencyAndLevel(int rate)
    {
        var input = Sine(rate, 440, rate, 10_000);

        var output = PcmUpsampler.Convert(input, rate);

        // One second in is one second out (the flush adds the filter's half-width, under 1 ms).
        Assert.InRange(output.Length, 48_000, 48_000 + (PcmUpsampler.HalfWidth * 48_000 / rate) + 2);
        Assert.InRange(CountZeroCrossings(output.AsSpan(2400, 43_200)) * 48_000 / 43_200, 878, 882);
        Assert.InRange(Rms(output.AsSpan(2400, 43_200)), 10_000 / Math.Sqrt(2) * 0.98, 10_000 / Math.Sqrt(2) * 1.02);
    }

    [Fact]
    public void Process_SplitIntoOddBlocks_SameSamplesAsOneCall()
    {
        var input = Sine(16_000, 300, 4000, 8000);
        var whole = PcmUpsampler.Convert(input, 16_000);

        var converter = new PcmUpsampler(16_000);
        var pieces = new List<short>();
        var position = 0;
        foreach (var size in new[] { 1, 7, 160, 999, 2, 320 }.Cycle())
        {
            if (position >= input.Length)
            {
                break;
            }

            var take = Math.Min(size, input.Length - position);
            pieces.AddRange(converter.Process(input.AsSpan(position, take)));
            position += take;
        }

        pieces.AddRange(converter.Flush());
        Assert.Equal(whole, pieces.ToArray());
    }

    [Fact]
    public void Process_ConstantInput_StaysConstantAfterTheLeadIn()
    {
        var input = Enumerable.Repeat((short)1234, 1600).ToArray();

        var output = new PcmUpsampler(16_000).Process(input);

        Assert.All(output.Skip(3 * PcmUpsampler.HalfWidth * 3).Take(1000), s => Assert.InRange(s, 1233, 1235));
    }

    [Fact]
    public void Process_FullScaleSquareWave_ClipsInsteadOfWrapping()
    {
        var input = Enumerable.Range(0, 1600).Select(i => (i / 40) % 2 == 0 ? short.MaxValue : short.MinValue).ToArray();

        var output = PcmUpsampler.Convert(input, 16_000);

        // Gibbs overshoot must saturate, never wrap around to the opposite sign mid-plateau.
        for (var i = 200; i < output.Length - 200; i++)
        {
            var plateau = input[i / 3];
            if (input[Math.Max(0, (i / 3) - 20)] == plateau && input[Math.Min(input.Length - 1, (i / 3) + 20)] == plateau)
            {
                Assert.Equal(Math.Sign(plateau), Math.Sign(output[i]));
            }
        }
    }

    internal static short[] Sine(int rate, double frequency, int count, double amplitude) =>
        [.. Enumerable.Range(0, count).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate)))];

    internal static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    private static int CountZeroCrossings(ReadOnlySpan<short> samples)
    {
        var count = 0;
        for (var i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                count++;
            }
        }

        return count;
    }
}

internal static class EnumerableCycle
{
    public static IEnumerable<T> Cycle<T>(this IReadOnlyList<T> items)
    {
        while (true)
        {
            foreach (var item in items)
            {
                yield return item;
            }
        }
    }
}
