using RealtimeHead.Training.Data;

namespace RealtimeHead.Training.Tests.Data;

public sealed class AudioFeaturesTests
{
    private const int Bins = 16;

    /// <summary>Silence except a loud 1 kHz tone during video frame <paramref name="frame"/> (samples [640f, 640f + 640)).</summary>
    private static short[] BurstIn(int frame, int frames)
    {
        var samples = new short[frames * 640];
        for (var i = 640 * frame; i < 640 * (frame + 1); i++) samples[i] = (short)(20000 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0));
        return samples;
    }

    private static double Energy(AudioFeatures features, int row) => features.Frame(row).ToArray().Average();

    [Fact]
    public void Compute_OneSecond_GivesTwoFeaturesPerFrame()
    {
        var features = AudioFeatures.Compute(new short[25 * 640], 25, Bins);

        Assert.Equal(50, features.FrameCount);
        Assert.Equal(Bins, features.Dim);
        Assert.Equal(features.Silence, features.Frame(49).ToArray());
        Assert.Equal(features.Silence, features.Frame(-1).ToArray());   // before the clip: silence
        Assert.Equal(features.Silence, features.Frame(50).ToArray());   // after it: silence
    }

    [Fact]
    public void CopyWindow_BurstInFrameTen_IsAtTheWindowCentre()
    {
        const int Window = 8;
        var features = AudioFeatures.Compute(BurstIn(10, 25), 25, Bins);
        var window = new float[Window * Bins];

        features.CopyWindow(10, Window, window);

        // Rows W/2 and W/2 + 1 are features 20 and 21, the two 20 ms halves of frame 10: the loudest rows.
        var rows = Enumerable.Range(0, Window).Select(r => window.AsSpan(r * Bins, Bins).ToArray().Average()).ToArray();
        var loudest = Array.IndexOf(rows, rows.Max());
        Assert.InRange(loudest, Window / 2, Window / 2 + 1);
        Assert.Equal(features.Frame(20).ToArray(), window.AsSpan(Window / 2 * Bins, Bins).ToArray());
        Assert.True(Energy(features, 20) > Energy(features, 16) + 10, $"burst {Energy(features, 20)} vs quiet {Energy(features, 16)}");
        Assert.Equal(features.Silence, window.AsSpan(0, Bins).ToArray()); // feature 16 lies 80 ms before: silence
    }

    [Fact]
    public void CopyWindow_FirstFrame_PadsBeforeTheClipWithSilence()
    {
        var features = AudioFeatures.Compute(BurstIn(0, 5), 5, Bins);
        var window = new float[8 * Bins];

        features.CopyWindow(0, 8, window);

        for (var r = 0; r < 4; r++) Assert.Equal(features.Silence, window.AsSpan(r * Bins, Bins).ToArray());
        Assert.Equal(features.Frame(0).ToArray(), window.AsSpan(4 * Bins, Bins).ToArray());
    }

    [Fact]
    public void CopySpan_ThreeFrames_CoversTheirSixFeatures()
    {
        var features = AudioFeatures.Compute(BurstIn(4, 10), 10, Bins);
        var span = new float[AudioFeatures.SpanRows(3, 4) * Bins];

        features.CopySpan(3, 3, 4, span);

        Assert.Equal(6, AudioFeatures.SpanRows(3, 4));
        for (var r = 0; r < 6; r++) Assert.Equal(features.Frame(6 + r).ToArray(), span.AsSpan(r * Bins, Bins).ToArray());
        Assert.Equal(4, AudioFeatures.SpanRows(1, 4)); // one frame: widened to the minimum, centred
    }
}
