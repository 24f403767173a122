using RealtimeHead.Evaluation.Metrics;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Tests.Metrics;

public sealed class SsimTests
{
    private const double C1 = 0.01 * 255 * 0.01 * 255; // (K1 L)² = 6.5025
    private const double C2 = 0.03 * 255 * 0.03 * 255; // (K2 L)² = 58.5225

    [Fact]
    public void Compute_SameImage_IsOne()
    {
        var image = TestImages.Scene();

        Assert.Equal(1.0, Ssim.Compute(image, image), 12);
    }

    [Fact]
    public void Compute_MoreNoise_LowerScore()
    {
        var image = TestImages.Scene();

        var light = Ssim.Compute(image, TestImages.WithNoise(image, 5, 2));
        var heavy = Ssim.Compute(image, TestImages.WithNoise(image, 40, 2));

        Assert.InRange(light, 0.8, 0.9999);
        Assert.True(heavy < light - 0.2, $"{heavy} vs {light}");
    }

    [Fact]
    public void Compute_Constant100VersusConstant110_IsTheLuminanceTerm()
    {
        // One 11x11 window; σ = 0 in both, so SSIM = (2·100·110 + C1) / (100² + 110² + C1) = 22006.5025 / 22106.5025.
        var x = TestImages.Gray(11, 11, (_, _) => 100);
        var y = TestImages.Gray(11, 11, (_, _) => 110);

        Assert.Equal(22006.5025 / 22106.5025, Ssim.Compute(x, y), 9);
        Assert.Equal(0.995476, Ssim.Compute(x, y), 6);
    }

    [Fact]
    public void Compute_OneBrightCentrePixel_MatchesHandComputedValue()
    {
        // x constant 100; y equal except the centre pixel of the single window, 100 + d. With w the centre weight of the
        // normalised Gaussian: μx = 100, μy = 100 + w d, σx = σxy = 0, σy² = w d² − (w d)².
        const double d = 50;
        double norm = 0;
        for (var j = -5; j <= 5; j++)
        {
            for (var i = -5; i <= 5; i++) norm += Math.Exp(-(i * i + j * j) / (2 * 1.5 * 1.5));
        }
        var w = 1 / norm;
        double mx = 100, my = 100 + w * d, vy = w * d * d - (w * d) * (w * d);
        var expected = (2 * mx * my + C1) / (mx * mx + my * my + C1) * (C2 / (vy + C2));
        var x = TestImages.Gray(11, 11, (_, _) => 100);
        var y = TestImages.Gray(11, 11, (i, j) => i == 5 && j == 5 ? 100 + d : 100);

        var ssim = Ssim.Compute(x, y);

        Assert.Equal(expected, ssim, 10);
        Assert.InRange(ssim, 0.2, 0.9);
    }

    [Fact]
    public void Compute_SmallerThanWindow_Throws()
    {
        Assert.Throws<ArgumentException>(() => Ssim.Compute(new RgbImage(10, 10), new RgbImage(10, 10)));
    }
}
