using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Metrics;

/// <summary>
/// Structural similarity (Wang, Bovik, Sheikh, Simoncelli, "Image quality assessment: from error visibility to structural
/// similarity", IEEE TIP 2004, Eq. 13 with the Sec. III-B Gaussian window): on BT.601 luma Y in [0, 255], an 11×11
/// circular-symmetric Gaussian window with σ = 1.5 (normalised to sum 1), K1 = 0.01, K2 = 0.03, L = 255; the local
/// statistics are taken only where the window fits inside the image (the reference code's 'valid' filtering) and the
/// score is the mean of the SSIM map (MSSIM, Eq. 17). No downsampling: images are compared at the size given.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double Sigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;
    public const double DynamicRange = 255;

    private static readonly double[] Weights = GaussianWindow();

    /// <summary>Mean SSIM of two RGB images of the same size (at least 11×11), on luma.</summary>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.Width != test.Width || reference.Height != test.Height)
        {
            throw new ArgumentException($"image sizes differ: {reference.Width}x{reference.Height} and {test.Width}x{test.Height}", nameof(test));
        }
        return Compute(ImageOps.Luma(reference), ImageOps.Luma(test), reference.Width, reference.Height);
    }

    /// <summary>Mean SSIM of two row-major luma planes in [0, 255].</summary>
    public static double Compute(double[] x, double[] y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != width * height || y.Length != width * height) throw new ArgumentException("plane sizes do not match width × height");
        if (width < WindowSize || height < WindowSize) throw new ArgumentException($"SSIM needs at least {WindowSize}x{WindowSize} pixels, got {width}x{height}");
        const double c1 = K1 * DynamicRange * K1 * DynamicRange;
        const double c2 = K2 * DynamicRange * K2 * DynamicRange;
        double total = 0;
        var count = 0;
        for (var top = 0; top + WindowSize <= height; top++)
        {
            for (var left = 0; left + WindowSize <= width; left++)
            {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (var j = 0; j < WindowSize; j++)
                {
                    var row = (top + j) * width + left;
                    for (var i = 0; i < WindowSize; i++)
                    {
                        var w = Weights[j * WindowSize + i];
                        double a = x[row + i], b = y[row + i];
                        mx += w * a;
                        my += w * b;
                        xx += w * a * a;
                        yy += w * b * b;
                        xy += w * a * b;
                    }
                }
                var vx = xx - mx * mx;
                var vy = yy - my * my;
                var cov = xy - mx * my;
                total += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                count++;
            }
        }
        return total / count;
    }

    private static double[] GaussianWindow()
    {
        var w = new double[WindowSize * WindowSize];
        const int half = WindowSize / 2;
        double sum = 0;
        for (var j = 0; j < WindowSize; j++)
        {
            for (var i = 0; i < WindowSize; i++)
            {
                double dx = i - half, dy = j - half;
                w[j * WindowSize + i] = Math.Exp(-(dx * dx + dy * dy) / (2 * Sigma * Sigma));
                sum += w[j * WindowSize + i];
            }
        }
        for (var k = 0; k < w.Length; k++) w[k] /= sum;
        return w;
    }
}
