using RealtimeHead.Imaging;

namespace RealtimeHead.Server.Avatars;

/// <summary>Turns any decoded portrait into the renderer's input: the centred square crop, resampled to a side.</summary>
internal static class PortraitImage
{
    /// <summary>
    /// The centred square of <paramref name="image"/> scaled to <paramref name="size"/>×<paramref name="size"/> by
    /// area averaging when shrinking and bilinear interpolation when enlarging (packed RGB24).
    /// </summary>
    public static byte[] ToSquare(RgbImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var side = Math.Min(image.Width, image.Height);
        var left = (image.Width - side) / 2;
        var top = (image.Height - side) / 2;
        var output = new byte[size * size * 3];
        var scale = (double)side / size;
        var source = image.Pixels;
        var stride = image.Stride;
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var offset = ((y * size) + x) * 3;
                if (scale > 1)
                {
                    // Box filter over the source pixels this output pixel covers (no aliasing when shrinking).
                    var y0 = top + (int)(y * scale);
                    var y1 = Math.Max(y0 + 1, top + (int)((y + 1) * scale));
                    var x0 = left + (int)(x * scale);
                    var x1 = Math.Max(x0 + 1, left + (int)((x + 1) * scale));
                    int r = 0, g = 0, b = 0, n = 0;
                    for (var sy = y0; sy < y1; sy++)
                    {
                        for (var sx = x0; sx < x1; sx++)
                        {
                            var s = (sy * stride) + (sx * 3);
                            r += source[s];
                            g += source[s + 1];
                            b += source[s + 2];
                            n++;
                        }
                    }

                    output[offset] = (byte)((r + (n / 2)) / n);
                    output[offset + 1] = (byte)((g + (n / 2)) / n);
                    output[offset + 2] = (byte)((b + (n / 2)) / n);
                }
                else
                {
                    var fy = Math.Clamp(((y + 0.5) * scale) - 0.5, 0, side - 1);
                    var fx = Math.Clamp(((x + 0.5) * scale) - 0.5, 0, side - 1);
                    int iy = (int)fy, ix = (int)fx;
                    int iy1 = Math.Min(iy + 1, side - 1), ix1 = Math.Min(ix + 1, side - 1);
                    double wy = fy - iy, wx = fx - ix;
                    for (var c = 0; c < 3; c++)
                    {
                        double At(int sy, int sx) => source[((top + sy) * stride) + ((left + sx) * 3) + c];
                        var value = ((At(iy, ix) * (1 - wx)) + (At(iy, ix1) * wx)) * (1 - wy) + (((At(iy1, ix) * (1 - wx)) + (At(iy1, ix1) * wx)) * wy);
                        output[offset + c] = (byte)Math.Clamp((int)Math.Round(value), 0, 255);
                    }
                }
            }
        }

        return output;
    }
}
