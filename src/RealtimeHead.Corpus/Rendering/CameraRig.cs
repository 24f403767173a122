using System.Numerics;
using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// The fixed real camera and its pose relative to a moving head. The dataset's world frame is head-centred
/// with OpenCV axes (x right, y down, z away from the camera in the frontal pose); the model frame of
/// <see cref="HeadScene"/> is the same with y and z negated (a 180° rotation about x) and divided by
/// <see cref="ModelScale"/> (the head is modelled about 0.45 units tall and shown about 0.6 tall, filling the
/// head cube of the shared convention as a face crop does).
/// </summary>
internal sealed class CameraRig
{
    /// <summary>World units per model unit.</summary>
    public const float ModelScale = 1.3f;

    /// <summary>Model ↔ world flip: diag(1, −1, −1), its own inverse.</summary>
    private static readonly Matrix4x4 Flip = Matrix4x4.CreateScale(1, -1, -1);

    private readonly Matrix4x4 cameraToReal;

    public CameraRig(int size, double focalInWidths, double distance)
    {
        Intrinsics = CameraIntrinsics.ForSquare(size, focalInWidths);
        Distance = distance;

        // OpenCV camera axes expressed in the model frame: x → +x, y (down) → −y, z (forward) → −z; centre at +z.
        cameraToReal = Flip * Matrix4x4.CreateTranslation(0, 0, (float)distance);
    }

    public CameraIntrinsics Intrinsics { get; }

    public double Distance { get; }

    /// <summary>Camera → head model frame (System.Numerics row-vector convention).</summary>
    public Matrix4x4 CameraToModel(HeadPose pose)
    {
        Matrix4x4.Invert(HeadScene.HeadToReal(pose), out var realToHead);
        return cameraToReal * Matrix4x4.CreateScale(1 / ModelScale) * realToHead;
    }

    /// <summary>
    /// Camera-to-world 4x4 in the dataset's convention: row-major, column vectors (x_world = M · x_cam), world =
    /// head-centred OpenCV-axes frame.
    /// </summary>
    public double[] CameraToWorld(HeadPose pose)
    {
        var m = CameraToModel(pose) * Matrix4x4.CreateScale(ModelScale) * Flip;

        // System.Numerics stores the transpose of the column-vector matrix.
        return
        [
            m.M11, m.M21, m.M31, m.M41,
            m.M12, m.M22, m.M32, m.M42,
            m.M13, m.M23, m.M33, m.M43,
            0, 0, 0, 1,
        ];
    }

    /// <summary>Projects a model-frame point to continuous pixel coordinates; NaN when behind the camera.</summary>
    public Vector2 Project(Vector3 modelPoint, in Matrix4x4 modelToCamera)
    {
        var c = Vector3.Transform(modelPoint, modelToCamera);
        if (c.Z <= 1e-6f)
        {
            return new Vector2(float.NaN);
        }

        return new Vector2((float)((Intrinsics.Fx * c.X / c.Z) + Intrinsics.Cx), (float)((Intrinsics.Fy * c.Y / c.Z) + Intrinsics.Cy));
    }
}
