using RealtimeHead.Imaging;

namespace RealtimeHead.Training.Reporting;

/// <summary>Minimal raster drawing on an <see cref="RgbImage"/>: clipped pixels, rectangles, lines and image pasting.</summary>
internal static class Canvas
{
    public static void SetPixel(RgbImage image, int x, int y, (byte R, byte G, byte B) colour)
    {
        if ((uint)x >= (uint)image.Width || (uint)y >= (uint)image.Height) return;
        var offset = (y * image.Width + x) * 3;
        image.Pixels[offset] = colour.R;
        image.Pixels[offset + 1] = colour.G;
        image.Pixels[offset + 2] = colour.B;
    }

    public static void Fill(RgbImage image, int x, int y, int width, int height, (byte R, byte G, byte B) colour)
    {
        for (var row = Math.Max(0, y); row < Math.Min(image.Height, y + height); row++)
        {
            for (var column = Math.Max(0, x); column < Math.Min(image.Width, x + width); column++) SetPixel(image, column, row, colour);
        }
    }

    /// <summary>A line of the given thickness (a square brush along Bresenham's path).</summary>
    public static void Line(RgbImage image, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) colour, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        var error = dx + dy;
        var half = (thickness - 1) / 2;
        while (true)
        {
            Fill(image, x0 - half, y0 - half, thickness, thickness, colour);
            if (x0 == x1 && y0 == y1) return;
            var doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }
            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> with its top-left corner at (x, y).</summary>
    public static void Paste(RgbImage target, RgbImage source, int x, int y)
    {
        for (var row = 0; row < source.Height; row++)
        {
            var ty = y + row;
            if ((uint)ty >= (uint)target.Height) continue;
            var left = Math.Max(0, -x);
            var right = Math.Min(source.Width, target.Width - x);
            if (right <= left) continue;
            Array.Copy(source.Pixels, (row * source.Width + left) * 3, target.Pixels, (ty * target.Width + x + left) * 3, (right - left) * 3);
        }
    }
}
