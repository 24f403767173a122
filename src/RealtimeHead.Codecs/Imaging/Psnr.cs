using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Imaging;

/// <summary>Peak signal-to-noise ratio of 8-bit pictures: 10·log10(255² / MSE).</summary>
public static class Psnr
{
    /// <summary>PSNR of two equally sized 8-bit planes; +∞ when identical.</summary>
    public static double Plane(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Planes differ in size ({a.Length} vs {b.Length}).");
        }

        return FromSse(SumSquaredError(a, b), a.Length);
    }

    /// <summary>PSNR of two I420 pictures of the same size, per plane and overall.</summary>
    public static PsnrResult I420(VideoFrame a, VideoFrame b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"Pictures differ in size ({a.Width}x{a.Height} vs {b.Width}x{b.Height}).");
        }

        long y = SumSquaredError(a.Y, b.Y), u = SumSquaredError(a.U, b.U), v = SumSquaredError(a.V, b.V);
        return new PsnrResult(
            FromSse(y, a.Y.Length),
            FromSse(u, a.U.Length),
            FromSse(v, a.V.Length),
            FromSse(y + u + v, a.Y.Length + a.U.Length + a.V.Length));
    }

    private static long SumSquaredError(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    private static double FromSse(long sse, int samples) =>
        sse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 * samples / sse);
}
