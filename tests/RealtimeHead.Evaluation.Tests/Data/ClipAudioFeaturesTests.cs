using RealtimeHead.Evaluation.Data;

namespace RealtimeHead.Evaluation.Tests.Data;

public sealed class ClipAudioFeaturesTests
{
    private static short[] Tone(int samples, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, samples).Select(i => (short)(8000 * Math.Sin(i * 0.05 * (1 + i / 4000.0)) + random.Next(-500, 500))).ToArray();
    }

    [Fact]
    public void Compute_TwoRowsPerVideoFrame()
    {
        var features = ClipAudioFeatures.Compute(Tone(25 * 640, 1));

        Assert.Equal(50, features.Rows);
        Assert.Equal(80, features.FeatureDim);
    }

    [Fact]
    public void Compute_AudioDelayedBy10Frames_RowsMoveBy20()
    {
        var audio = Tone(40 * 640, 2);
        var delayed = new short[audio.Length];
        Array.Copy(audio, 0, delayed, 6400, audio.Length - 6400);

        var a = ClipAudioFeatures.Compute(audio);
        var b = ClipAudioFeatures.Compute(delayed);

        for (var j = 2; j < 50; j++)
        {
            var expected = a.Row(j).ToArray();
            var actual = b.Row(j + 20).ToArray();
            for (var m = 0; m < expected.Length; m++) Assert.Equal(expected[m], actual[m], 2);
        }
    }

    [Fact]
    public void GeneratorWindow_RowHalfWIsTheFramesFirstRow_OutsideIsSilence()
    {
        var features = ClipAudioFeatures.Compute(Tone(10 * 640, 3));

        var window = features.GeneratorWindow(frame: 0, window: 16);

        Assert.Equal(features.Row(0).ToArray(), window.AsSpan(8 * 80, 80).ToArray());
        Assert.All(window.AsSpan(0, 80).ToArray(), v => Assert.Equal(MathF.Log(1e-10f), v, 4));
        Assert.Equal(features.Row(9).ToArray(), features.GeneratorWindow(frame: 5, window: 16).AsSpan((8 - 1) * 80, 80).ToArray());
    }
}
