namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// Pinhole intrinsics in pixels. Continuous image coordinates: pixel (u, v) covers [u, u+1) × [v, v+1), so its
/// centre is (u + 0.5, v + 0.5) and a centred principal point is (W/2, H/2).
/// </summary>
internal readonly record struct CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>Square image of side <paramref name="size"/> with focal length <paramref name="focalInWidths"/> × width.</summary>
    public static CameraIntrinsics ForSquare(int size, double focalInWidths) =>
        new(focalInWidths * size, focalInWidths * size, size / 2.0, size / 2.0);
}
