using RealtimeHead.Codecs.Imaging;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Tests.Imaging;

public sealed class PsnrTests
{
    [Fact]
    public void Plane_Identical_IsInfinite()
    {
        byte[] a = [1, 2, 3, 4];

        Assert.Equal(double.PositiveInfinity, Psnr.Plane(a, a));
    }

    [Fact]
    public void Plane_ErrorOfOneEverywhere_Is48Db()
    {
        // MSE 1: 10·log10(255²) = 48.1308 dB.
        Assert.Equal(48.1308, Psnr.Plane(new byte[100], Enumerable.Repeat((byte)1, 100).ToArray()), 4);
    }

    [Fact]
    public void I420_ErrorInLumaOnly_WeighsOverallBySampleCount()
    {
        var a = new VideoFrame(4, 4, 0);
        var b = new VideoFrame(4, 4, 0);
        Array.Fill(b.Y, (byte)2);

        var result = Psnr.I420(a, b);

        // Luma MSE 4 → 42.11 dB; overall MSE = 16·4 / 24 samples.
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 4), result.Y, 6);
        Assert.Equal(double.PositiveInfinity, result.U);
        Assert.Equal(double.PositiveInfinity, result.V);
        Assert.Equal(10 * Math.Log10(255.0 * 255 * 24 / 64), result.Overall, 6);
    }

    [Fact]
    public void I420_DifferentSizes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Psnr.I420(new VideoFrame(4, 4, 0), new VideoFrame(4, 6, 0)));
        Assert.Throws<ArgumentException>(() => Psnr.Plane(new byte[3], new byte[4]));
    }
}
