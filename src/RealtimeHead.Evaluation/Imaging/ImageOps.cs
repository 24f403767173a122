using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Imaging;

/// <summary>An axis-aligned box in continuous pixel coordinates (pixel (u, v) covers [u, u+1) × [v, v+1)).</summary>
public readonly record struct PixelBox(double X0, double Y0, double X1, double Y1)
{
    public double Width => X1 - X0;

    public double Height => Y1 - Y0;

    /// <summary>This box scaled about the origin (from one image size to another).</summary>
    public PixelBox Scale(double sx, double sy) => new(X0 * sx, Y0 * sy, X1 * sx, Y1 * sy);
}

/// <summary>Pixel helpers shared by the metrics and the evaluation networks.</summary>
public static class ImageOps
{
    /// <summary>ITU-R BT.601 luma Y = 0.299 R + 0.587 G + 0.114 B in [0, 255], row-major (the Y that Wang et al.'s SSIM code is run on).</summary>
    public static double[] Luma(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = image.Pixels;
        var luma = new double[image.Width * image.Height];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = 0.299 * pixels[3 * i] + 0.587 * pixels[3 * i + 1] + 0.114 * pixels[3 * i + 2];
        }
        return luma;
    }

    /// <summary>Bilinear resize (pixel centres aligned, border clamped); returns the same instance when the size already matches.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width == width && image.Height == height) return image;
        var values = Sample(image, new PixelBox(0, 0, image.Width, image.Height), width, height, gray: false, antiAlias: true);
        var bytes = new byte[values.Length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(Math.Round(values[i] * 255), 0, 255);
        // Sample is planar (C, H, W); RgbImage is packed.
        var packed = new byte[bytes.Length];
        var plane = width * height;
        for (var i = 0; i < plane; i++)
        {
            packed[3 * i] = bytes[i];
            packed[3 * i + 1] = bytes[plane + i];
            packed[3 * i + 2] = bytes[2 * plane + i];
        }
        return new RgbImage(width, height, packed);
    }

    /// <summary>
    /// Samples <paramref name="box"/> of <paramref name="image"/> onto a width × height grid: planar [C, H, W] values in
    /// [0, 1] (C = 3, or 1 with <paramref name="gray"/> = BT.601 luma). Bilinear with the border repeated; with
    /// <paramref name="antiAlias"/> a box filter over the source footprint is applied first when shrinking, so a
    /// downscale does not alias.
    /// </summary>
    public static float[] Sample(RgbImage image, PixelBox box, int width, int height, bool gray, bool antiAlias = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var channels = gray ? 1 : 3;
        var output = new float[channels * width * height];
        var stepX = box.Width / width;
        var stepY = box.Height / height;
        // Supersample each output pixel n × n times when shrinking by more than 1.5.
        var nx = antiAlias ? Math.Clamp((int)Math.Ceiling(stepX - 0.5), 1, 8) : 1;
        var ny = antiAlias ? Math.Clamp((int)Math.Ceiling(stepY - 0.5), 1, 8) : 1;
        Span<double> rgb = stackalloc double[3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                rgb.Clear();
                for (var sy = 0; sy < ny; sy++)
                {
                    for (var sx = 0; sx < nx; sx++)
                    {
                        var u = box.X0 + (x + (sx + 0.5) / nx) * stepX;
                        var v = box.Y0 + (y + (sy + 0.5) / ny) * stepY;
                        Bilinear(image, u, v, rgb);
                    }
                }
                var scale = 1.0 / (255.0 * nx * ny);
                if (gray)
                {
                    output[y * width + x] = (float)((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) * scale);
                }
                else
                {
                    for (var c = 0; c < 3; c++) output[(c * height + y) * width + x] = (float)(rgb[c] * scale);
                }
            }
        }
        return output;
    }

    /// <summary>Adds the bilinear RGB value at continuous coordinates (u, v) to <paramref name="sum"/>.</summary>
    private static void Bilinear(RgbImage image, double u, double v, Span<double> sum)
    {
        var fx = u - 0.5;
        var fy = v - 0.5;
        var x0 = (int)Math.Floor(fx);
        var y0 = (int)Math.Floor(fy);
        var ax = fx - x0;
        var ay = fy - y0;
        var xa = Math.Clamp(x0, 0, image.Width - 1);
        var xb = Math.Clamp(x0 + 1, 0, image.Width - 1);
        var ya = Math.Clamp(y0, 0, image.Height - 1);
        var yb = Math.Clamp(y0 + 1, 0, image.Height - 1);
        var p = image.Pixels;
        var stride = image.Stride;
        for (var c = 0; c < 3; c++)
        {
            double top = p[ya * stride + 3 * xa + c] * (1 - ax) + p[ya * stride + 3 * xb + c] * ax;
            double bottom = p[yb * stride + 3 * xa + c] * (1 - ax) + p[yb * stride + 3 * xb + c] * ax;
            sum[c] += top * (1 - ay) + bottom * ay;
        }
    }

    /// <summary>Frames [3, S, S] or [1, 3, S, S] in [-1, 1] (the model's range), as floats, → an 8-bit image.</summary>
    public static RgbImage FromPlanar(float[] planar, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(planar);
        var plane = width * height;
        if (planar.Length != 3 * plane) throw new ArgumentException($"expected {3 * plane} values, got {planar.Length}", nameof(planar));
        var packed = new byte[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                packed[3 * i + c] = (byte)Math.Clamp(Math.Round((planar[c * plane + i] + 1) * 127.5), 0, 255);
            }
        }
        return new RgbImage(width, height, packed);
    }
}
