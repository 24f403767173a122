using RealtimeHead.Evaluation.Metrics;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Tests.Metrics;

public sealed class PsnrTests
{
    [Fact]
    public void Compute_SameImage_IsInfinite()
    {
        var image = TestImages.Scene();

        Assert.Equal(double.PositiveInfinity, Psnr.Compute(image, image));
    }

    [Fact]
    public void Compute_EveryByteOffBy10_Is10Log10Of255SquaredOver100()
    {
        var image = TestImages.Gray(16, 16, (_, _) => 100);
        var shifted = TestImages.Gray(16, 16, (x, y) => (x + y) % 2 == 0 ? 110 : 90);

        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / 100), Psnr.Compute(image, shifted), 10);
    }

    [Fact]
    public void Compute_MoreNoise_LowerScore()
    {
        var image = TestImages.Scene();

        var light = Psnr.Compute(image, TestImages.WithNoise(image, 5, 1));
        var heavy = Psnr.Compute(image, TestImages.WithNoise(image, 40, 1));

        Assert.InRange(light, 30, 60);
        Assert.True(heavy < light - 10, $"{heavy} vs {light}");
    }

    [Fact]
    public void Compute_DifferentSizes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Psnr.Compute(new RgbImage(8, 8), new RgbImage(8, 9)));
    }
}
