using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Camera;

/// <summary>
/// S3D-NeRF Eq. 2's Inv(P_src): world points → coordinates in the source tri-plane, normalised so the head cube
/// [-HeadExtent, HeadExtent]³ maps to [-1, 1]³.
/// <para>
/// Reading of Eq. 2: the tri-planes are reshaped from image-aligned feature maps of the source portrait (Sec. 3.1), so
/// they are aligned with the source camera, but they describe the head, not the camera's surroundings. We therefore take
/// Inv(P_src)·x̃ relative to where Inv(P_src) puts the head centre: x_tp = (Inv(P_src)·x̃ − Inv(P_src)·0) / HeadExtent =
/// R_srcᵀ·x̃ / HeadExtent. The translation of P_src cancels, so this holds for any source camera, not only one looking
/// at the origin. In that frame x points right and y down in the source image and z away from the source camera.
/// </para>
/// <para>
/// Plane convention (<see cref="PlaneGrids"/>): plane "ab" is sampled at grid (a, b), i.e. a along the feature map's
/// width and b along its height, as F.grid_sample reads (x, y). So F_xy is sampled at (x, y) and lines up with the
/// source image; F_yz at (y, z); F_xz at (x, z).
/// </para>
/// </summary>
public sealed class TriPlaneSpace
{
    public TriPlaneSpace(float headExtent)
    {
        if (!(headExtent > 0) || float.IsInfinity(headExtent)) throw new ArgumentOutOfRangeException(nameof(headExtent), headExtent, "must be positive and finite");
        HeadExtent = headExtent;
    }

    public TriPlaneSpace(S3DNeRFConfig config) : this(config.HeadExtent)
    {
    }

    /// <summary>Half side of the head cube the planes cover, in world units.</summary>
    public float HeadExtent { get; }

    /// <summary>
    /// World points [B, N, 3] and source poses [B, 4, 4] (camera-to-world) → tri-plane coordinates [B, N, 3], inside the
    /// head cube in [-1, 1]³ (points outside the cube fall outside it and sample zeros with grid_sample's zero padding).
    /// </summary>
    public Tensor ToTriPlane(Tensor worldPoints, Tensor sourcePose)
    {
        if (worldPoints.Dimensions != 3 || worldPoints.size(2) != 3 || sourcePose.size(0) != worldPoints.size(0))
        {
            throw new ArgumentException($"expected points [B, N, 3] and poses [B, 4, 4], got {worldPoints} and {sourcePose}");
        }
        using var scope = NewDisposeScope();
        // Row vectors: (R_srcᵀ·x)ᵀ = xᵀ·R_src.
        return worldPoints.matmul(HeadPose.Rotation(sourcePose)).div(HeadExtent).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse map: tri-plane coordinates [B, N, 3] → world points [B, N, 3] (x = R_src·x_tp·HeadExtent).</summary>
    public Tensor ToWorld(Tensor triPlanePoints, Tensor sourcePose)
    {
        using var scope = NewDisposeScope();
        return triPlanePoints.mul(HeadExtent).matmul(HeadPose.Rotation(sourcePose).transpose(1, 2)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Tri-plane coordinates [B, N, 3] → grids for F.grid_sample on the planes xy, yz, xz, each [B, 1, N, 2]
    /// (sampling a plane [B, C, H, W] with one gives [B, C, 1, N]).
    /// </summary>
    public static (Tensor Xy, Tensor Yz, Tensor Xz) PlaneGrids(Tensor triPlanePoints)
    {
        using var scope = NewDisposeScope();
        var x = triPlanePoints.select(2, 0);
        var y = triPlanePoints.select(2, 1);
        var z = triPlanePoints.select(2, 2);
        var xy = stack([x, y], 2).unsqueeze(1);
        var yz = stack([y, z], 2).unsqueeze(1);
        var xz = stack([x, z], 2).unsqueeze(1);
        return (xy.MoveToOuterDisposeScope(), yz.MoveToOuterDisposeScope(), xz.MoveToOuterDisposeScope());
    }
}
