using RealtimeHead.Evaluation.Imaging;

namespace RealtimeHead.Evaluation.Data;

/// <summary>
/// Crop boxes from ground-truth landmarks (interleaved x, y, 136 numbers). The evaluation has no face detector: as in
/// S3D-NeRF Sec. 3.4 ("cropped through the pre-extracted bounding boxes of the ground-truth"), generated and real frames
/// are cropped with the same box, taken from the ground-truth landmarks of that frame.
/// </summary>
public static class FaceBoxes
{
    /// <summary>Margin of the face box around the landmarks' bounding box (each side, as a fraction of its larger side).</summary>
    public const double FaceMargin = 0.25;

    /// <summary>The square face box: the landmarks' bounding box, squared about its centre and grown by <see cref="FaceMargin"/>.</summary>
    public static PixelBox Face(ReadOnlySpan<double> landmarks)
    {
        var (x0, y0, x1, y1) = Bounds(landmarks, 0, 68);
        var side = Math.Max(Math.Max(x1 - x0, y1 - y0), 1) * (1 + 2 * FaceMargin);
        double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        return new PixelBox(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2);
    }

    /// <summary>
    /// The lower-face box SyncNet's video stream sees (the mouth and chin): horizontally the jaw points 3-13, vertically
    /// from the nose tip (30) to the chin (8), grown by 10 % and made 3:2 (width:height) about its centre.
    /// </summary>
    public static PixelBox LowerFace(ReadOnlySpan<double> landmarks)
    {
        var (x0, _, x1, _) = Bounds(landmarks, 3, 14);
        double top = landmarks[2 * 30 + 1], bottom = landmarks[2 * 8 + 1];
        var width = Math.Max(x1 - x0, 1) * 1.1;
        var height = Math.Max(bottom - top, 1) * 1.1;
        if (width < 1.5 * height) width = 1.5 * height;
        else height = width / 1.5;
        double cx = (x0 + x1) / 2, cy = (top + bottom) / 2;
        return new PixelBox(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2);
    }

    private static (double X0, double Y0, double X1, double Y1) Bounds(ReadOnlySpan<double> landmarks, int first, int end)
    {
        if (landmarks.Length != 136) throw new ArgumentException("landmarks must be 68 interleaved x, y pairs", nameof(landmarks));
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        for (var p = first; p < end; p++)
        {
            x0 = Math.Min(x0, landmarks[2 * p]);
            x1 = Math.Max(x1, landmarks[2 * p]);
            y0 = Math.Min(y0, landmarks[2 * p + 1]);
            y1 = Math.Max(y1, landmarks[2 * p + 1]);
        }
        return (x0, y0, x1, y1);
    }
}
