using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Imaging;

/// <summary>
/// Packed RGB24 ↔ planar I420 conversion with BT.601 limited-range coefficients (ITU-R BT.601-7 §2.5.3;
/// Y in 16..235, Cb/Cr in 16..240), the matrix VP8 decoders in browsers assume for untagged streams.
/// Integer arithmetic with 8 fractional bits; one pass per row, no per-pixel allocations.
/// </summary>
public static class I420Conversion
{
    /// <summary>
    /// Converts packed RGB24 (R, G, B bytes per pixel, rows <paramref name="rgbStride"/> bytes apart) of the
    /// destination's size into <paramref name="destination"/>. Chroma is taken from the mean colour of each
    /// 2×2 block (the last column/row of odd sizes averages what exists).
    /// </summary>
    public static void RgbToI420(ReadOnlySpan<byte> rgb, int rgbStride, VideoFrame destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int width = destination.Width, height = destination.Height;
        CheckRgb(rgb.Length, rgbStride, width, height);

        var yPlane = destination.Y.AsSpan();
        var uPlane = destination.U.AsSpan();
        var vPlane = destination.V.AsSpan();
        var chromaWidth = destination.ChromaWidth;

        for (var row = 0; row < height; row += 2)
        {
            var hasSecondRow = row + 1 < height;
            var top = rgb.Slice(row * rgbStride, width * 3);
            var bottom = hasSecondRow ? rgb.Slice((row + 1) * rgbStride, width * 3) : top;
            var yTop = yPlane.Slice(row * width, width);
            var yBottom = hasSecondRow ? yPlane.Slice((row + 1) * width, width) : yTop;
            var uRow = uPlane.Slice((row >> 1) * chromaWidth, chromaWidth);
            var vRow = vPlane.Slice((row >> 1) * chromaWidth, chromaWidth);

            for (var x = 0; x < width; x += 2)
            {
                var hasSecondColumn = x + 1 < width;
                int i = x * 3, j = hasSecondColumn ? i + 3 : i;
                int r0 = top[i], g0 = top[i + 1], b0 = top[i + 2];
                int r1 = top[j], g1 = top[j + 1], b1 = top[j + 2];
                int r2 = bottom[i], g2 = bottom[i + 1], b2 = bottom[i + 2];
                int r3 = bottom[j], g3 = bottom[j + 1], b3 = bottom[j + 2];

                yTop[x] = Luma(r0, g0, b0);
                if (hasSecondColumn)
                {
                    yTop[x + 1] = Luma(r1, g1, b1);
                }

                if (hasSecondRow)
                {
                    yBottom[x] = Luma(r2, g2, b2);
                    if (hasSecondColumn)
                    {
                        yBottom[x + 1] = Luma(r3, g3, b3);
                    }
                }

                // Duplicated edge samples make the plain /4 mean equal the mean of the pixels that exist.
                int r = (r0 + r1 + r2 + r3 + 2) >> 2, g = (g0 + g1 + g2 + g3 + 2) >> 2, b = (b0 + b1 + b2 + b3 + 2) >> 2;
                uRow[x >> 1] = (byte)((((-38 * r) - (74 * g) + (112 * b) + 128) >> 8) + 128);
                vRow[x >> 1] = (byte)((((112 * r) - (94 * g) - (18 * b) + 128) >> 8) + 128);
            }
        }
    }

    /// <summary>Converts tightly packed RGB24 (stride = width × 3) into <paramref name="destination"/>.</summary>
    public static void RgbToI420(ReadOnlySpan<byte> rgb, VideoFrame destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RgbToI420(rgb, destination.Width * 3, destination);
    }

    /// <summary>
    /// Converts <paramref name="source"/> to packed RGB24 rows <paramref name="rgbStride"/> bytes apart,
    /// upsampling chroma by repetition.
    /// </summary>
    public static void I420ToRgb(VideoFrame source, Span<byte> rgb, int rgbStride)
    {
        ArgumentNullException.ThrowIfNull(source);
        int width = source.Width, height = source.Height, chromaWidth = source.ChromaWidth;
        CheckRgb(rgb.Length, rgbStride, width, height);

        for (var row = 0; row < height; row++)
        {
            var yRow = source.Y.AsSpan(row * width, width);
            var uRow = source.U.AsSpan((row >> 1) * chromaWidth, chromaWidth);
            var vRow = source.V.AsSpan((row >> 1) * chromaWidth, chromaWidth);
            var output = rgb.Slice(row * rgbStride, width * 3);

            for (var x = 0; x < width; x++)
            {
                int c = 298 * (yRow[x] - 16), d = uRow[x >> 1] - 128, e = vRow[x >> 1] - 128;
                var o = x * 3;
                output[o] = Clamp((c + (409 * e) + 128) >> 8);
                output[o + 1] = Clamp((c - (100 * d) - (208 * e) + 128) >> 8);
                output[o + 2] = Clamp((c + (516 * d) + 128) >> 8);
            }
        }
    }

    /// <summary>Converts <paramref name="source"/> to tightly packed RGB24 (stride = width × 3).</summary>
    public static void I420ToRgb(VideoFrame source, Span<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(source);
        I420ToRgb(source, rgb, source.Width * 3);
    }

    private static byte Luma(int r, int g, int b) => (byte)((((66 * r) + (129 * g) + (25 * b) + 128) >> 8) + 16);

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static void CheckRgb(int length, int stride, int width, int height)
    {
        if (stride < width * 3)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"RGB stride must be at least width × 3 = {width * 3}.");
        }

        if (length < ((height - 1) * stride) + (width * 3))
        {
            throw new ArgumentException($"RGB buffer of {length} bytes is too small for {width}x{height} with stride {stride}.");
        }
    }
}
