using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Camera;

/// <summary>
/// Camera poses as 4x4 camera-to-world matrices (float32 [B, 4, 4]) in the head-centred world frame of
/// <see cref="S3DNeRFConfig"/>: the head's centre is the origin and OpenCV camera axes are used (x right, y down,
/// z forward). The world axes are those of the frontal camera: world x points to the right of the frontal image,
/// world y down, world z from the frontal camera into the face. A pose [R | t] maps camera coordinates to world
/// coordinates, x_world = R·x_cam + t, so t is the camera centre and R's columns are the camera axes in the world.
/// </summary>
public static class HeadPose
{
    /// <summary>
    /// Cameras on a sphere of radius <paramref name="distance"/> looking at the head centre: [B] angles (radians) → [B, 4, 4].
    /// yaw = pitch = roll = 0 is the frontal camera at (0, 0, -distance) with R = I, looking along +z at the face.
    /// The camera is orbited by R_orbit = R_y(yaw)·R_x(pitch) (pitch about the world x axis first, then yaw about the
    /// world vertical), so it sits at -distance·R_orbit·ẑ and its optical axis R_orbit·ẑ passes through the origin;
    /// roll spins the camera about its own optical axis: R = R_orbit·R_z(roll). Positive yaw moves the camera towards
    /// world -x (the left of the frontal image); positive pitch moves it towards world +y (below the face, looking up);
    /// positive roll turns the camera's x axis towards its y axis (the image content turns counter-clockwise on screen).
    /// </summary>
    public static Tensor LookAt(Tensor yaw, Tensor pitch, Tensor roll, double distance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(distance);
        if (yaw.Dimensions != 1 || !yaw.shape.SequenceEqual(pitch.shape) || !yaw.shape.SequenceEqual(roll.shape))
        {
            throw new ArgumentException($"yaw, pitch and roll must be [B] tensors of one length, got {yaw}, {pitch}, {roll}");
        }
        using var scope = NewDisposeScope();
        var rotation = RotationY(yaw).bmm(RotationX(pitch)).bmm(RotationZ(roll));
        // Only the orbit moves the centre: c = -d·R_orbit·ẑ = -d·(third column of R_orbit), roll leaves it in place.
        var orbit = RotationY(yaw).bmm(RotationX(pitch));
        var centre = orbit.select(2, 2).mul(-distance);
        return FromRotationTranslation(rotation, centre).MoveToOuterDisposeScope();
    }

    /// <summary>One camera: scalar angles in radians → [1, 4, 4]. See <see cref="LookAt(Tensor, Tensor, Tensor, double)"/>.</summary>
    public static Tensor LookAt(float yaw, float pitch, float roll, float distance)
    {
        using var scope = NewDisposeScope();
        return LookAt(tensor(new[] { yaw }), tensor(new[] { pitch }), tensor(new[] { roll }), distance).MoveToOuterDisposeScope();
    }

    /// <summary>The frontal camera of <paramref name="config"/> repeated for a batch: → [B, 4, 4].</summary>
    public static Tensor Frontal(S3DNeRFConfig config, int batch = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        using var scope = NewDisposeScope();
        return LookAt(0, 0, 0, config.CameraDistance).repeat(batch, 1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Rotation [B, 3, 3] and translation [B, 3] → homogeneous [B, 4, 4] with last row (0, 0, 0, 1).</summary>
    public static Tensor FromRotationTranslation(Tensor rotation, Tensor translation)
    {
        using var scope = NewDisposeScope();
        var batch = rotation.size(0);
        var top = cat([rotation, translation.unsqueeze(2)], 2);
        var bottom = cat([zeros([batch, 1, 3], rotation.dtype, rotation.device), ones([batch, 1, 1], rotation.dtype, rotation.device)], 2);
        return cat([top, bottom], 1).MoveToOuterDisposeScope();
    }

    /// <summary>[B, 4, 4] → R [B, 3, 3] (a view).</summary>
    public static Tensor Rotation(Tensor pose) => pose.slice(1, 0, 3, 1).slice(2, 0, 3, 1);

    /// <summary>[B, 4, 4] → t [B, 3] (a view): the camera centre for a camera-to-world pose.</summary>
    public static Tensor Translation(Tensor pose) => pose.slice(1, 0, 3, 1).select(2, 3);

    /// <summary>
    /// Inverse of rigid poses [B, 4, 4] → [B, 4, 4]: [R | t]⁻¹ = [Rᵀ | -Rᵀt]. Exact for rotations (every pose of this
    /// model) and cheaper and better conditioned than a general inverse; not valid for scaled or sheared matrices.
    /// </summary>
    public static Tensor Inverse(Tensor pose)
    {
        using var scope = NewDisposeScope();
        var rt = Rotation(pose).transpose(1, 2);
        var t = rt.bmm(Translation(pose).unsqueeze(2)).squeeze(2).neg();
        return FromRotationTranslation(rt.contiguous(), t).MoveToOuterDisposeScope();
    }

    /// <summary>Applies the affine part of <paramref name="matrix"/> [B, 4, 4] to points [B, N, 3] → [B, N, 3]: R·p + t.</summary>
    public static Tensor TransformPoints(Tensor matrix, Tensor points)
    {
        using var scope = NewDisposeScope();
        return points.matmul(Rotation(matrix).transpose(1, 2)).add(Translation(matrix).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Rotates directions [B, N, 3] by <paramref name="matrix"/> [B, 4, 4] → [B, N, 3]: R·d (no translation).</summary>
    public static Tensor TransformDirections(Tensor matrix, Tensor directions)
    {
        using var scope = NewDisposeScope();
        return directions.matmul(Rotation(matrix).transpose(1, 2)).MoveToOuterDisposeScope();
    }

    // Elementary rotations [B] → [B, 3, 3] (right-handed, angle counter-clockwise about the axis seen from its tip).
    private static Tensor RotationX(Tensor angle) => Rotation3(angle, (c, s, o, z) => [o, z, z, z, c, s.neg(), z, s, c]);

    private static Tensor RotationY(Tensor angle) => Rotation3(angle, (c, s, o, z) => [c, z, s, z, o, z, s.neg(), z, c]);

    private static Tensor RotationZ(Tensor angle) => Rotation3(angle, (c, s, o, z) => [c, s.neg(), z, s, c, z, z, z, o]);

    private static Tensor Rotation3(Tensor angle, Func<Tensor, Tensor, Tensor, Tensor, Tensor[]> entries)
    {
        using var scope = NewDisposeScope();
        var a = angle.to(ScalarType.Float32);
        var c = a.cos();
        var s = a.sin();
        var o = ones_like(a);
        var z = zeros_like(a);
        return stack(entries(c, s, o, z), 1).reshape(-1, 3, 3).MoveToOuterDisposeScope();
    }
}
