namespace RealtimeHead.Codecs.Tests.TestSupport;

/// <summary>Deterministic 48 kHz test audio.</summary>
internal static class TestSignals
{
    public const int SampleRate = 48_000;

    /// <summary>A sine of <paramref name="frequency"/> Hz, interleaved over <paramref name="channels"/>.</summary>
    public static short[] Sine(double frequency, int samplesPerChannel, int channels = 1, double amplitude = 8000)
    {
        var pcm = new short[samplesPerChannel * channels];
        for (var n = 0; n < samplesPerChannel; n++)
        {
            var value = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * n / SampleRate));
            for (var c = 0; c < channels; c++)
            {
                pcm[(n * channels) + c] = value;
            }
        }

        return pcm;
    }

    /// <summary>A linear chirp from <paramref name="from"/> to <paramref name="to"/> Hz (mono).</summary>
    public static short[] Chirp(double from, double to, int samples, double amplitude = 8000)
    {
        var pcm = new short[samples];
        var duration = (double)samples / SampleRate;
        for (var n = 0; n < samples; n++)
        {
            var t = (double)n / SampleRate;
            var phase = 2 * Math.PI * ((from * t) + ((to - from) * t * t / (2 * duration)));
            pcm[n] = (short)Math.Round(amplitude * Math.Sin(phase));
        }

        return pcm;
    }

    /// <summary>
    /// A voiced-speech-like signal: a harmonic series on a gliding pitch with a syllable-rate envelope, so
    /// concealment cannot simply extend the last period (mono).
    /// </summary>
    public static short[] SpeechLike(int samples, int seed = 7)
    {
        var random = new Random(seed);
        var pcm = new short[samples];
        double phase = 0;
        for (var n = 0; n < samples; n++)
        {
            var t = (double)n / SampleRate;
            var pitch = 140 + (40 * Math.Sin(2 * Math.PI * 1.3 * t)) + (25 * Math.Sin(2 * Math.PI * 3.7 * t));
            phase += 2 * Math.PI * pitch / SampleRate;
            double value = 0;
            for (var h = 1; h <= 12; h++)
            {
                value += Math.Sin(h * phase) / h;
            }

            var envelope = 0.55 + (0.45 * Math.Sin(2 * Math.PI * 4.1 * t));
            pcm[n] = (short)Math.Round((5000 * envelope * value) + (150 * ((random.NextDouble() * 2) - 1)));
        }

        return pcm;
    }

    /// <summary>Sum of squares of <paramref name="count"/> samples from <paramref name="start"/>.</summary>
    public static double Energy(ReadOnlySpan<short> pcm, int start, int count)
    {
        double sum = 0;
        foreach (var s in pcm.Slice(start, count))
        {
            sum += (double)s * s;
        }

        return sum;
    }

    /// <summary>Sum of squared differences of <paramref name="count"/> samples of a (from aStart) and b (from bStart).</summary>
    public static double SquaredError(ReadOnlySpan<short> a, int aStart, ReadOnlySpan<short> b, int bStart, int count)
    {
        double sum = 0;
        for (var i = 0; i < count; i++)
        {
            double d = a[aStart + i] - b[bStart + i];
            sum += d * d;
        }

        return sum;
    }
}
