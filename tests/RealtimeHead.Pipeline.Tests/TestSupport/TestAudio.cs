using RealtimeHead.Media;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>Deterministic 48 kHz test signals cut into 20 ms frames.</summary>
internal static class TestAudio
{
    public const int FrameSamples = 960;

    /// <summary>A "voice": a 220 Hz tone whose level follows a 3 Hz syllable envelope, at <paramref name="amplitude"/>.</summary>
    public static AudioFrame Speech(long mediaTimestamp, double amplitude = 0.5) => Make(mediaTimestamp, t =>
        amplitude * (0.55 + (0.45 * Math.Sin(2 * Math.PI * 3 * t))) * Math.Sin(2 * Math.PI * 220 * t));

    /// <summary>Digital silence.</summary>
    public static AudioFrame Silence(long mediaTimestamp) => Make(mediaTimestamp, _ => 0);

    /// <summary>Seeded white noise at <paramref name="dbfs"/> RMS.</summary>
    public static AudioFrame Noise(long mediaTimestamp, double dbfs, int seed)
    {
        var random = new Random(seed ^ (int)mediaTimestamp);
        var rms = Math.Pow(10, dbfs / 20) * Math.Sqrt(3);
        return Make(mediaTimestamp, _ => ((random.NextDouble() * 2) - 1) * rms);
    }

    /// <summary>Silence with a one-sample full-scale click at media position <paramref name="clickAt"/> if inside.</summary>
    public static AudioFrame Click(long mediaTimestamp, long clickAt)
    {
        var frame = Silence(mediaTimestamp);
        if (clickAt >= mediaTimestamp && clickAt < mediaTimestamp + FrameSamples)
        {
            frame.Samples[clickAt - mediaTimestamp] = short.MaxValue;
        }

        return frame;
    }

    private static AudioFrame Make(long mediaTimestamp, Func<double, double> signal)
    {
        var samples = new short[FrameSamples];
        for (var i = 0; i < FrameSamples; i++)
        {
            var t = (double)(mediaTimestamp + i) / MediaClock.SampleRate;
            samples[i] = (short)Math.Clamp(Math.Round(signal(t) * 32767), short.MinValue, short.MaxValue);
        }

        return new AudioFrame(samples, MediaClock.SampleRate, 1, mediaTimestamp);
    }
}
