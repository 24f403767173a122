using RealtimeHead.Cli.Render;
using RealtimeHead.Imaging;

namespace RealtimeHead.Cli.Tests.Render;

public sealed class RenderInputsTests
{
    [Fact]
    public void ParsePose_Degrees_BecomeRadians()
    {
        var pose = RenderCommand.ParsePose(" 30, -15 ,0.5");

        Assert.Equal(MathF.PI / 6, pose.Yaw, 5);
        Assert.Equal(-MathF.PI / 12, pose.Pitch, 5);
        Assert.Equal(0.5f * MathF.PI / 180, pose.Roll, 5);
        Assert.Equal(default, RenderCommand.ParsePose(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1,2,3,4")]
    [InlineData("NaN,0,0")]
    [InlineData("0,0,-61")]
    public void ParsePose_Bad_ThrowsWithExitCode1(string text)
    {
        if (text.Length == 0)
        {
            Assert.Equal(default, RenderCommand.ParsePose(text));
            return;
        }

        var error = Assert.Throws<RenderInputException>(() => RenderCommand.ParsePose(text));
        Assert.Equal(1, error.ExitCode);
        Assert.StartsWith("--pose", error.Message);
    }

    [Fact]
    public void Fit_Landscape_CropsTheCentreSquare()
    {
        // 6x2: columns 0 and 5 red, the centre 2x2 (columns 2-3) green.
        var image = new RgbImage(6, 2);
        for (var y = 0; y < 2; y++)
        {
            for (var x = 0; x < 6; x++)
            {
                var o = ((y * 6) + x) * 3;
                image.Pixels[o] = (byte)(x is 2 or 3 ? 0 : 255);
                image.Pixels[o + 1] = (byte)(x is 2 or 3 ? 255 : 0);
            }
        }

        var fitted = PortraitInput.Fit(image, 2);

        Assert.Equal((2, 2), (fitted.Width, fitted.Height));
        Assert.All(fitted.Pixels.Chunk(3), p => Assert.Equal([0, 255, 0], p));
    }

    [Fact]
    public void Fit_Downscale_AveragesInsteadOfAliasing()
    {
        // A one-pixel checkerboard shrunk 8x is mid grey, not black or white.
        var image = new RgbImage(64, 64);
        for (var i = 0; i < 64 * 64; i++)
        {
            var value = (byte)(((i % 64) + (i / 64)) % 2 == 0 ? 255 : 0);
            image.Pixels[i * 3] = image.Pixels[(i * 3) + 1] = image.Pixels[(i * 3) + 2] = value;
        }

        var fitted = PortraitInput.Fit(image, 8);

        Assert.All(fitted.Pixels, v => Assert.InRange(v, 120, 135));
    }

    [Fact]
    public void Fit_Upscale_KeepsAUniformImageUniform()
    {
        var image = new RgbImage(3, 3);
        Array.Fill(image.Pixels, (byte)77);

        var fitted = PortraitInput.Fit(image, 16);

        Assert.All(fitted.Pixels, v => Assert.Equal(77, v));
    }
}
