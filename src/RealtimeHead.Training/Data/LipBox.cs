namespace RealtimeHead.Training.Data;

/// <summary>
/// The lip box of a frame from its iBUG-68 landmarks 48–67 (outer and inner lip contours), as (x0, y0, x1, y1) fractions
/// of the frame. The box is centred on the lips, 1.6 × the lip width wide and half as high (the 1:2 shape of the
/// lip-sync crops), taller when the open mouth needs it, and shifted (then clipped) to stay inside the frame.
/// </summary>
public static class LipBox
{
    /// <summary>First lip landmark (outer contour, image-left corner).</summary>
    public const int FirstLipLandmark = 48;

    /// <summary>Last lip landmark (inner contour).</summary>
    public const int LastLipLandmark = 67;

    private const double WidthMargin = 1.6;
    private const double HeightMargin = 1.4;

    /// <summary>The box of <paramref name="landmarks"/> (68 [x, y] in pixels) in a <paramref name="width"/> × <paramref name="height"/> frame.</summary>
    public static (float X0, float Y0, float X1, float Y1) FromLandmarks(double[][] landmarks, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        for (var i = FirstLipLandmark; i <= LastLipLandmark; i++)
        {
            var (x, y) = (landmarks[i][0], landmarks[i][1]);
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        var boxWidth = Math.Max(WidthMargin * (maxX - minX), 4);
        var boxHeight = Math.Max(boxWidth / 2, HeightMargin * (maxY - minY));
        var (x0, x1) = Fit((minX + maxX) / 2, boxWidth, width);
        var (y0, y1) = Fit((minY + maxY) / 2, boxHeight, height);
        return ((float)(x0 / width), (float)(y0 / height), (float)(x1 / width), (float)(y1 / height));
    }

    /// <summary>An interval of <paramref name="size"/> centred on <paramref name="centre"/>, moved (then clipped) into [0, limit].</summary>
    private static (double Low, double High) Fit(double centre, double size, int limit)
    {
        size = Math.Min(size, limit);
        var low = Math.Clamp(centre - size / 2, 0, limit - size);
        if (!double.IsFinite(low)) low = 0;
        return (low, low + size);
    }
}
