using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Tests;

internal static class TestImages
{
    public static RgbImage Gray(int width, int height, Func<int, int, double> value)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = (byte)Math.Clamp(Math.Round(value(x, y)), 0, 255);
                pixels[3 * (y * width + x)] = pixels[3 * (y * width + x) + 1] = pixels[3 * (y * width + x) + 2] = v;
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A textured test image: smooth gradients plus a few sharp-edged shapes.</summary>
    public static RgbImage Scene(int size = 64) => Gray(size, size, (x, y) =>
        60 + 80 * Math.Sin(x / 7.0) * Math.Cos(y / 9.0) + ((x / 16 + y / 16) % 2 == 0 ? 60 : 0));

    /// <summary><paramref name="image"/> plus uniform noise in ±<paramref name="amplitude"/>, seeded.</summary>
    public static RgbImage WithNoise(RgbImage image, int amplitude, int seed)
    {
        var random = new Random(seed);
        var pixels = image.Pixels.Select(p => (byte)Math.Clamp(p + random.Next(-amplitude, amplitude + 1), 0, 255)).ToArray();
        return new RgbImage(image.Width, image.Height, pixels);
    }
}
