using RealtimeHead.Imaging;

namespace RealtimeHead.Server.Tests.TestSupport;

/// <summary>Small deterministic images: a horizontal red ramp over a vertical green ramp, blue 77.</summary>
internal static class TestImages
{
    public static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var offset = ((y * width) + x) * 3;
                pixels[offset] = (byte)(x * 255 / Math.Max(1, width - 1));
                pixels[offset + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                pixels[offset + 2] = 77;
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>A PNG of seeded noise (incompressible: about width × height × 3 bytes).</summary>
    public static byte[] NoisePng(int width, int height, int seed = 1)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels).Encode(ImageFileFormat.Png);
    }

    public static byte[] Png(int width, int height) => Gradient(width, height).Encode(ImageFileFormat.Png);

    public static byte[] Jpeg(int width, int height) => Gradient(width, height).Encode(ImageFileFormat.Jpeg);
}
