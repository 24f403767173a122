using RealtimeHead.Evaluation.Metrics;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Tests.Metrics;

public sealed class CpbdTests
{
    /// <summary>128x128 with vertical bars of varying width and contrast: sharp step edges.</summary>
    private static RgbImage Bars() => TestImages.Gray(128, 128, (x, y) => (x / 21 % 2 == 0 ? 40 : 200) + (y / 32) * 10);

    private static RgbImage Blur(RgbImage image, double sigma)
    {
        var luma = RealtimeHead.Evaluation.Imaging.ImageOps.Luma(image);
        var blurred = CannyEdges.GaussianBlur(luma, image.Width, image.Height, sigma);
        return TestImages.Gray(image.Width, image.Height, (x, y) => blurred[y * image.Width + x]);
    }

    [Fact]
    public void Compute_SharpEdges_ScoreHigherThanTheirBlurredVersion()
    {
        var sharp = Bars();

        var sharpScore = Cpbd.Compute(sharp);
        var blurredScore = Cpbd.Compute(Blur(sharp, 2.5));

        Assert.InRange(sharpScore, 0.9, 1.0);
        Assert.InRange(blurredScore, 0.0, 0.3);
    }

    [Fact]
    public void Compute_HalfBlurred_ScoresBetweenSharpAndBlurred()
    {
        // Left half sharp bars, right half the same bars blurred: about half the edge pixels are sharp.
        var sharp = Bars();
        var blurred = Blur(sharp, 2.5);
        var half = TestImages.Gray(128, 128, (x, y) => (x < 64 ? sharp : blurred).Pixels[3 * (y * 128 + x)]);

        Assert.InRange(Cpbd.Compute(half), 0.3, 0.7);
    }

    [Fact]
    public void Compute_FlatImage_IsNaN()
    {
        Assert.True(double.IsNaN(Cpbd.Compute(TestImages.Gray(64, 64, (_, _) => 90))));
    }

    [Fact]
    public void EdgeWidth_Ramp_IsTheDistanceBetweenTheExtrema()
    {
        // Rising 0 → 200 over indices 2 … 6: the minimum ends at 2, the maximum at 6.
        double[] row = [0, 0, 0, 50, 100, 150, 200, 200];

        Assert.Equal(4, Cpbd.EdgeWidth(row, row.Length, 0, 4, direction: 1));
        Assert.Equal(4, Cpbd.EdgeWidth(row.Reverse().ToArray(), row.Length, 0, 3, direction: -1));
    }
}
