using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Metrics;

/// <summary>
/// Cumulative probability of blur detection (Narvekar and Karam, "A No-Reference Image Blur Metric Based on the Cumulative
/// Probability of Blur Detection (CPBD)", IEEE TIP 2011), a no-reference sharpness score in [0, 1], higher = sharper.
/// <list type="number">
/// <item>Edges: Canny on BT.601 luma (<see cref="CannyEdges"/>).</item>
/// <item>Edge width (Marziliano et al. 2002): along the image row through an edge pixel whose gradient is closer to
/// horizontal than vertical (|g_x| ≥ |g_y|, Sobel), the distance between the local intensity extrema on either side:
/// walking in the gradient's direction while the intensity keeps rising, and against it while it keeps falling.</item>
/// <item>The image is cut into 64×64 blocks; a block is an edge block when more than 0.2 % of its pixels are edge pixels
/// (Sec. III). Its contrast C = max − min luma picks the just-noticeable-blur width w_JNB = 5 if C ≤ 50, else 3 (Sec. II).</item>
/// <item>Each edge pixel e of an edge block gets P_BLUR(e) = 1 − exp(−|w(e) / w_JNB|^β), β = 3.6 (Eq. 3).</item>
/// <item>CPBD = P(P_BLUR ≤ P_JNB) with P_JNB = 63 %: the fraction of those edge pixels whose blur is not noticeable (Eq. 5).</item>
/// </list>
/// Simplifications: the paper's probability density is a histogram; the fraction over the pixels is the same number
/// without binning. Only vertical-ish edges are measured (as the reference implementation does). An image without
/// measurable edges scores <see cref="double.NaN"/>.
/// </summary>
public static class Cpbd
{
    public const int BlockSize = 64;
    public const double EdgeBlockFraction = 0.002;
    public const double Beta = 3.6;
    public const double JnbProbability = 0.63;

    /// <summary>CPBD of an RGB image (computed on luma).</summary>
    public static double Compute(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Compute(ImageOps.Luma(image), image.Width, image.Height);
    }

    /// <summary>CPBD of a row-major luma plane in [0, 255].</summary>
    public static double Compute(double[] luma, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(luma);
        if (luma.Length != width * height) throw new ArgumentException("plane size does not match width × height", nameof(luma));
        if (width < 3 || height < 3) return double.NaN;
        var edges = CannyEdges.Detect(luma, width, height);
        var (gx, gy) = CannyEdges.Sobel(luma, width, height);
        long measured = 0, sharp = 0;
        for (var by = 0; by < height; by += BlockSize)
        {
            for (var bx = 0; bx < width; bx += BlockSize)
            {
                int x1 = Math.Min(bx + BlockSize, width), y1 = Math.Min(by + BlockSize, height);
                var edgeCount = 0;
                double min = double.MaxValue, max = double.MinValue;
                for (var y = by; y < y1; y++)
                {
                    for (var x = bx; x < x1; x++)
                    {
                        var i = y * width + x;
                        if (edges[i]) edgeCount++;
                        min = Math.Min(min, luma[i]);
                        max = Math.Max(max, luma[i]);
                    }
                }
                if (edgeCount <= EdgeBlockFraction * (x1 - bx) * (y1 - by)) continue;
                var jnbWidth = max - min <= 50 ? 5.0 : 3.0;
                for (var y = by; y < y1; y++)
                {
                    for (var x = bx; x < x1; x++)
                    {
                        var i = y * width + x;
                        if (!edges[i] || Math.Abs(gx[i]) < Math.Abs(gy[i]) || gx[i] == 0) continue;
                        var w = EdgeWidth(luma, width, y, x, gx[i] > 0 ? 1 : -1);
                        if (w <= 0) continue;
                        measured++;
                        var pBlur = 1 - Math.Exp(-Math.Pow(w / jnbWidth, Beta));
                        if (pBlur <= JnbProbability) sharp++;
                    }
                }
            }
        }
        return measured == 0 ? double.NaN : (double)sharp / measured;
    }

    /// <summary>
    /// Marziliano edge width at (x, y) along the row: <paramref name="direction"/> = +1 when the intensity rises to the
    /// right. The end in the rising direction is the local maximum, the other end the local minimum.
    /// </summary>
    internal static int EdgeWidth(double[] luma, int width, int y, int x, int direction)
    {
        var row = y * width;
        var up = x;
        while (up + direction >= 0 && up + direction < width && luma[row + up + direction] > luma[row + up]) up += direction;
        var down = x;
        while (down - direction >= 0 && down - direction < width && luma[row + down - direction] < luma[row + down]) down -= direction;
        return Math.Abs(up - down);
    }
}
