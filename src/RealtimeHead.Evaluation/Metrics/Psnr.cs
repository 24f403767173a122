using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Metrics;

/// <summary>Peak signal-to-noise ratio of 8-bit RGB images: 10·log10(255² / MSE), the MSE over all pixels and all three channels.</summary>
public static class Psnr
{
    /// <summary>PSNR in dB; <see cref="double.PositiveInfinity"/> for identical images.</summary>
    public static double Compute(RgbImage reference, RgbImage test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.Width != test.Width || reference.Height != test.Height)
        {
            throw new ArgumentException($"image sizes differ: {reference.Width}x{reference.Height} and {test.Width}x{test.Height}", nameof(test));
        }
        var a = reference.Pixels;
        var b = test.Pixels;
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        var mse = sum / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
