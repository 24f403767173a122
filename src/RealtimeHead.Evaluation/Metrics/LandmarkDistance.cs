namespace RealtimeHead.Evaluation.Metrics;

/// <summary>
/// Landmark distance (LMD, Chen et al., "Lip Movements Generation at a Glance", ECCV 2018; the F-LMD / M-LMD split of
/// the talking-head NeRF papers): the Euclidean distance in pixels between corresponding landmarks that one detector
/// finds in a generated frame and in its ground-truth frame, averaged over the points and then over the frames.
/// F-LMD uses all 68 iBUG points, M-LMD the 20 mouth points 48-67. Landmarks are interleaved x, y pixel coordinates
/// (136 numbers); the resolution is the caller's (the evaluation states it: the model's output size).
/// </summary>
public static class LandmarkDistance
{
    public const int PointCount = 68;

    /// <summary>The iBUG 68-point indices of the mouth (outer lip 48-59, inner lip 60-67).</summary>
    public static readonly Range MouthPoints = 48..68;

    /// <summary>Every point.</summary>
    public static readonly Range FacePoints = 0..68;

    /// <summary>Mean distance over the points in <paramref name="points"/> of one frame.</summary>
    public static double Frame(ReadOnlySpan<double> predicted, ReadOnlySpan<double> reference, Range points)
    {
        if (predicted.Length != 2 * PointCount || reference.Length != 2 * PointCount)
        {
            throw new ArgumentException($"landmarks must be {PointCount} interleaved x, y pairs ({2 * PointCount} numbers)");
        }
        var (start, count) = points.GetOffsetAndLength(PointCount);
        if (count == 0) throw new ArgumentException("no points selected", nameof(points));
        double sum = 0;
        for (var p = start; p < start + count; p++)
        {
            double dx = predicted[2 * p] - reference[2 * p], dy = predicted[2 * p + 1] - reference[2 * p + 1];
            sum += Math.Sqrt(dx * dx + dy * dy);
        }
        return sum / count;
    }

    /// <summary>Mean over frames of <see cref="Frame"/>: LMD of a sequence.</summary>
    public static double Sequence(IReadOnlyList<double[]> predicted, IReadOnlyList<double[]> reference, Range points)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(reference);
        if (predicted.Count != reference.Count || predicted.Count == 0) throw new ArgumentException($"need the same positive number of frames, got {predicted.Count} and {reference.Count}");
        double sum = 0;
        for (var f = 0; f < predicted.Count; f++) sum += Frame(predicted[f], reference[f], points);
        return sum / predicted.Count;
    }
}
