namespace RealtimeHead.Evaluation.Metrics;

/// <summary>
/// Canny edge detection (Canny 1986) with MATLAB <c>edge(I, 'canny')</c>'s automatic thresholds, which the CPBD
/// reference implementation uses: Gaussian smoothing (σ = √2), Sobel gradients of the smoothed image, non-maximum
/// suppression along the gradient direction quantised to 4 directions, and hysteresis with the high threshold at the
/// 70th percentile of the normalised gradient magnitude (MATLAB's PercentOfPixelsNotEdges = 0.7, over a 64-bin
/// histogram) and the low threshold at 0.4 × high. Simplification: MATLAB differentiates with derivative-of-Gaussian
/// kernels; Sobel on the Gaussian-smoothed image is used instead (the same edges up to a sub-pixel shift).
/// </summary>
internal static class CannyEdges
{
    public const double SmoothingSigma = 1.4142135623730951;
    public const double PercentNotEdges = 0.7;
    public const double LowRatio = 0.4;

    /// <summary>Row-major luma → edge map (true = edge pixel). The one-pixel border is never an edge.</summary>
    public static bool[] Detect(double[] luma, int width, int height)
    {
        var smooth = GaussianBlur(luma, width, height, SmoothingSigma);
        var (gx, gy) = Sobel(smooth, width, height);
        var magnitude = new double[luma.Length];
        double max = 0;
        for (var i = 0; i < magnitude.Length; i++)
        {
            magnitude[i] = Math.Sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
            max = Math.Max(max, magnitude[i]);
        }
        var edges = new bool[luma.Length];
        if (max <= 0) return edges;
        for (var i = 0; i < magnitude.Length; i++) magnitude[i] /= max;

        // MATLAB: high = (first histogram bin where the cumulative count exceeds 70 % of the pixels) / 64.
        var histogram = new int[64];
        foreach (var m in magnitude) histogram[Math.Min((int)(m * 64), 63)]++;
        var high = 1.0;
        for (int b = 0, cumulative = 0; b < 64; b++)
        {
            cumulative += histogram[b];
            if (cumulative > PercentNotEdges * magnitude.Length)
            {
                high = (b + 1) / 64.0;
                break;
            }
        }
        var low = LowRatio * high;

        // Non-maximum suppression: keep a pixel only if it is not smaller than both neighbours along the gradient.
        var thin = new double[luma.Length];
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = y * width + x;
                var m = magnitude[i];
                if (m <= low) continue;
                var angle = Math.Atan2(gy[i], gx[i]) * 180 / Math.PI;
                if (angle < 0) angle += 180;
                int dx, dy;
                if (angle < 22.5 || angle >= 157.5) (dx, dy) = (1, 0);
                else if (angle < 67.5) (dx, dy) = (1, 1);
                else if (angle < 112.5) (dx, dy) = (0, 1);
                else (dx, dy) = (-1, 1);
                if (m >= magnitude[i + dy * width + dx] && m >= magnitude[i - dy * width - dx]) thin[i] = m;
            }
        }

        // Hysteresis: strong pixels and the weak pixels 8-connected to them.
        var stack = new Stack<int>();
        for (var i = 0; i < thin.Length; i++)
        {
            if (thin[i] > high && !edges[i])
            {
                edges[i] = true;
                stack.Push(i);
                while (stack.Count > 0)
                {
                    var p = stack.Pop();
                    int px = p % width, py = p / width;
                    for (var ny = py - 1; ny <= py + 1; ny++)
                    {
                        for (var nx = px - 1; nx <= px + 1; nx++)
                        {
                            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                            var q = ny * width + nx;
                            if (!edges[q] && thin[q] > low)
                            {
                                edges[q] = true;
                                stack.Push(q);
                            }
                        }
                    }
                }
            }
        }
        return edges;
    }

    /// <summary>Sobel gradients (x to the right, y down); the border rows and columns are 0.</summary>
    public static (double[] Gx, double[] Gy) Sobel(double[] image, int width, int height)
    {
        var gx = new double[image.Length];
        var gy = new double[image.Length];
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = y * width + x;
                double tl = image[i - width - 1], t = image[i - width], tr = image[i - width + 1];
                double l = image[i - 1], r = image[i + 1];
                double bl = image[i + width - 1], b = image[i + width], br = image[i + width + 1];
                gx[i] = (tr + 2 * r + br) - (tl + 2 * l + bl);
                gy[i] = (bl + 2 * b + br) - (tl + 2 * t + tr);
            }
        }
        return (gx, gy);
    }

    /// <summary>Separable Gaussian blur with replicated borders; the kernel spans ±⌈3σ⌉.</summary>
    public static double[] GaussianBlur(double[] image, int width, int height, double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        double sum = 0;
        for (var k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.Exp(-k * k / (2 * sigma * sigma));
        for (var k = 0; k < kernel.Length; k++) kernel[k] /= sum;
        var temp = new double[image.Length];
        var output = new double[image.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double acc = 0;
                for (var k = -radius; k <= radius; k++) acc += kernel[k + radius] * image[y * width + Math.Clamp(x + k, 0, width - 1)];
                temp[y * width + x] = acc;
            }
        }
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double acc = 0;
                for (var k = -radius; k <= radius; k++) acc += kernel[k + radius] * temp[Math.Clamp(y + k, 0, height - 1) * width + x];
                output[y * width + x] = acc;
            }
        }
        return output;
    }
}
