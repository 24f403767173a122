using RealtimeHead.Codecs.Imaging;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Tests.Imaging;

public sealed class I420ConversionTests
{
    // BT.601 limited range (ITU-R BT.601-7 §2.5.3), 8-bit rounding as in libyuv's RGB24ToI420.
    [Theory]
    [InlineData(0, 0, 0, 16, 128, 128)]
    [InlineData(255, 255, 255, 235, 128, 128)]
    [InlineData(255, 0, 0, 82, 90, 240)]
    [InlineData(0, 255, 0, 144, 54, 34)] // exact 144.55: the 8-bit integer matrix (as libyuv) gives 144
    [InlineData(0, 0, 255, 41, 240, 110)]
    [InlineData(128, 128, 128, 126, 128, 128)]
    public void RgbToI420_SolidColour_MatchesBt601LimitedRange(byte r, byte g, byte b, byte y, byte u, byte v)
    {
        var rgb = Solid(4, 2, r, g, b);
        var frame = new VideoFrame(4, 2, 0);

        I420Conversion.RgbToI420(rgb, frame);

        Assert.All(frame.Y, value => Assert.Equal(y, value));
        Assert.All(frame.U, value => Assert.Equal(u, value));
        Assert.All(frame.V, value => Assert.Equal(v, value));
    }

    [Theory]
    [InlineData(64, 48)]
    [InlineData(131, 97)]
    public void RoundTrip_SmoothImage_PsnrAbove40Db(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var o = ((y * width) + x) * 3;
                rgb[o] = (byte)(40 + (x * 170 / width));
                rgb[o + 1] = (byte)(30 + (y * 190 / height));
                rgb[o + 2] = (byte)(200 - ((x + y) * 150 / (width + height)));
            }
        }

        var frame = new VideoFrame(width, height, 0);
        var back = new byte[rgb.Length];
        I420Conversion.RgbToI420(rgb, frame);
        I420Conversion.I420ToRgb(frame, back);

        Assert.True(Psnr.Plane(rgb, back) > 40, $"PSNR {Psnr.Plane(rgb, back):F1} dB");
    }

    [Fact]
    public void RgbToI420_OddSize_EdgeChromaAveragesExistingPixels()
    {
        // 3x1: pixels red, red | blue. The last chroma sample covers only the blue pixel.
        byte[] rgb = [255, 0, 0, 255, 0, 0, 0, 0, 255];
        var frame = new VideoFrame(3, 1, 0);

        I420Conversion.RgbToI420(rgb, frame);

        Assert.Equal([82, 82, 41], frame.Y);
        Assert.Equal([90, 240], frame.U);
        Assert.Equal([240, 110], frame.V);
    }

    [Fact]
    public void RgbToI420_WithStride_IgnoresPadding()
    {
        const int stride = 4 * 3 + 5;
        var rgb = new byte[(stride * 2) - 5];
        Array.Fill(rgb, (byte)0xEE);
        for (var y = 0; y < 2; y++)
        {
            rgb.AsSpan(y * stride, 12).Clear();
        }

        var frame = new VideoFrame(4, 2, 0);
        I420Conversion.RgbToI420(rgb, stride, frame);

        Assert.All(frame.Y, value => Assert.Equal(16, value));
    }

    [Fact]
    public void I420ToRgb_LimitedRangeExtremes_MapToFullRange()
    {
        var frame = new VideoFrame(2, 2, 0);
        frame.Y[0] = 16;
        frame.Y[1] = 235;
        frame.Y[2] = 0;
        frame.Y[3] = 255;
        Array.Fill(frame.U, (byte)128);
        Array.Fill(frame.V, (byte)128);
        var rgb = new byte[12];

        I420Conversion.I420ToRgb(frame, rgb);

        // Values outside 16..235 clamp instead of wrapping.
        Assert.Equal([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255], rgb);
    }

    [Fact]
    public void RgbToI420_BufferTooSmall_Throws()
    {
        var frame = new VideoFrame(4, 4, 0);

        Assert.Throws<ArgumentException>(() => I420Conversion.RgbToI420(new byte[47], frame));
        Assert.Throws<ArgumentOutOfRangeException>(() => I420Conversion.RgbToI420(new byte[100], 11, frame));
    }

    private static byte[] Solid(int width, int height, byte r, byte g, byte b)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
        }

        return rgb;
    }
}
