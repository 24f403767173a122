using RealtimeHead.Rendering;
using RealtimeHead.Server.Rendering;

namespace RealtimeHead.Server.Tests.Rendering;

public sealed class StillPortraitRendererTests
{
    private const int Size = 32;

    [Fact]
    public void Render_SilentWindow_ReturnsThePortraitUnchanged()
    {
        using var renderer = new StillPortraitRenderer(Size);
        var portrait = Portrait();
        using var encoding = renderer.EncodePortrait("p", portrait, Size, Size);

        var frame = Assert.Single(renderer.Render([new RenderRequest(encoding, Window(renderer, -23f), HeadPose.Frontal, RenderQuality.Full)]));

        Assert.Equal((Size, Size), (frame.Width, frame.Height));
        Assert.Equal(portrait, frame.Rgb);
    }

    [Fact]
    public void Render_LoudWindow_DarkensTheMouthOnly()
    {
        using var renderer = new StillPortraitRenderer(Size);
        var portrait = Portrait();
        using var encoding = renderer.EncodePortrait("p", portrait, Size, Size);

        var frame = renderer.Render([new RenderRequest(encoding, Window(renderer, -1f), HeadPose.Frontal, RenderQuality.Full)])[0];

        var mouth = ((int)(Size * 0.74f) * Size + (Size / 2)) * 3;
        Assert.True(frame.Rgb[mouth] < portrait[mouth], "mouth centre darker");
        Assert.Equal(portrait.AsSpan(0, Size * 3 * 10).ToArray(), frame.Rgb.AsSpan(0, Size * 3 * 10).ToArray()); // top rows untouched
    }

    [Theory]
    [InlineData(-23f, 0f)]
    [InlineData(-12f, 0f)]
    [InlineData(-7.5f, 0.5f)]
    [InlineData(-3f, 1f)]
    [InlineData(0f, 1f)]
    [InlineData(float.NaN, 0f)]
    public void MouthOpening_CentreFrameLogEnergy_MapsToUnitRange(float logEnergy, float expected)
    {
        using var renderer = new StillPortraitRenderer(Size);

        Assert.Equal(expected, renderer.MouthOpening(Window(renderer, logEnergy)), 3);
    }

    [Fact]
    public void Render_Yaw_ShiftsTheImage()
    {
        using var renderer = new StillPortraitRenderer(Size);
        var portrait = Portrait();
        using var encoding = renderer.EncodePortrait("p", portrait, Size, Size);

        var frame = renderer.Render([new RenderRequest(encoding, Window(renderer, -23f), new HeadPose(0.125f, 0, 0), RenderQuality.Full)])[0];

        // dx = 0.125 × 32 × 0.5 = 2 pixels: output column 10 shows source column 8.
        Assert.Equal(portrait[((5 * Size) + 8) * 3], frame.Rgb[((5 * Size) + 10) * 3]);
    }

    [Fact]
    public void EncodePortrait_WrongSize_Throws()
    {
        using var renderer = new StillPortraitRenderer(Size);

        Assert.Throws<ArgumentException>(() => renderer.EncodePortrait("p", new byte[16 * 16 * 3], 16, 16));
    }

    private static byte[] Portrait()
    {
        var rgb = new byte[Size * Size * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(100 + (i / 3 % Size * 4));
        }

        return rgb;
    }

    private static float[] Window(StillPortraitRenderer renderer, float value) =>
        Enumerable.Repeat(value, renderer.AudioWindowFrames * renderer.AudioFeatureDim).ToArray();
}
