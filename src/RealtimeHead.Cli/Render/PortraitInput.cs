using RealtimeHead.Imaging;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// The portrait of <c>realtimehead render</c>: a PNG or JPEG, centre-cropped to a square and resized to the model's frame
/// size (triangle filter widened by the scale factor when shrinking, so downscaling averages instead of aliasing).
/// </summary>
internal static class PortraitInput
{
    public static RgbImage Load(string path, int size)
    {
        RgbImage image;
        try
        {
            image = RgbImage.Load(path);
        }
        catch (FileNotFoundException e)
        {
            throw new RenderInputException($"--portrait {path}: file not found.", 1, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new RenderInputException($"--portrait {path}: file not found.", 1, e);
        }
        catch (ImageCodecException e)
        {
            throw new RenderInputException($"--portrait {path}: not a readable PNG or JPEG image ({e.Reason}).", 1, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            throw new RenderInputException($"--portrait {path}: cannot be read ({e.Message}).", 1, e);
        }

        return Fit(image, size);
    }

    /// <summary>Centre square crop of <paramref name="image"/>, resized to <paramref name="size"/>.</summary>
    public static RgbImage Fit(RgbImage image, int size)
    {
        var side = Math.Min(image.Width, image.Height);
        var x0 = (image.Width - side) / 2;
        var y0 = (image.Height - side) / 2;
        var horizontal = Weights(side, size);
        var vertical = Weights(side, size);

        // Rows first (crop columns x0.., keep every source row of the crop), then columns.
        var rows = new float[side * size * 3];
        for (var y = 0; y < side; y++)
        {
            var source = ((y0 + y) * image.Width + x0) * 3;
            for (var x = 0; x < size; x++)
            {
                var (first, weights) = horizontal[x];
                float r = 0, g = 0, b = 0;
                for (var i = 0; i < weights.Length; i++)
                {
                    var p = source + ((first + i) * 3);
                    r += image.Pixels[p] * weights[i];
                    g += image.Pixels[p + 1] * weights[i];
                    b += image.Pixels[p + 2] * weights[i];
                }

                var o = ((y * size) + x) * 3;
                (rows[o], rows[o + 1], rows[o + 2]) = (r, g, b);
            }
        }

        var result = new RgbImage(size, size);
        for (var y = 0; y < size; y++)
        {
            var (first, weights) = vertical[y];
            for (var x = 0; x < size * 3; x++)
            {
                float sum = 0;
                for (var i = 0; i < weights.Length; i++)
                {
                    sum += rows[((first + i) * size * 3) + x] * weights[i];
                }

                result.Pixels[(y * size * 3) + x] = (byte)Math.Clamp(MathF.Round(sum), 0, 255);
            }
        }

        return result;
    }

    /// <summary>For each output sample, the first source index and normalised triangle weights.</summary>
    private static (int First, float[] Weights)[] Weights(int sourceLength, int outputLength)
    {
        var scale = (double)sourceLength / outputLength;
        var support = Math.Max(scale, 1.0);
        var result = new (int, float[])[outputLength];
        for (var i = 0; i < outputLength; i++)
        {
            var centre = ((i + 0.5) * scale) - 0.5;
            var first = Math.Max(0, (int)Math.Floor(centre - support) + 1);
            var last = Math.Min(sourceLength - 1, (int)Math.Ceiling(centre + support) - 1);
            if (last < first)
            {
                first = last = Math.Clamp((int)Math.Round(centre), 0, sourceLength - 1);
            }

            var weights = new float[last - first + 1];
            double total = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                var w = Math.Max(0, 1 - (Math.Abs(first + j - centre) / support));
                weights[j] = (float)w;
                total += w;
            }

            for (var j = 0; j < weights.Length; j++)
            {
                weights[j] = total > 0 ? (float)(weights[j] / total) : 1f / weights.Length;
            }

            result[i] = (first, weights);
        }

        return result;
    }
}
