using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Encoder;

/// <summary>
/// Interp(.) of S3D-NeRF Eq. 2: bilinear look-up of 3D points in every level of a <see cref="TriPlanePyramid"/>.
/// Points are already in the source tri-plane frame (Inv(P_src)·x̃, divided by <see cref="S3DNeRFConfig.HeadExtent"/>)
/// so the head cube maps to [-1, 1]³. A point (x, y, z) reads plane xy at (x, y), yz at (y, z) and xz at (x, z), where
/// the first coordinate runs along a plane's width and the second along its height; the xy plane is therefore aligned
/// with the source image (x right, y down). The three plane features are summed (EG3D's aggregation: order-free and
/// keeps C channels per level) and the levels are concatenated, finest first.
/// </summary>
public static class TriPlaneSampler
{
    // Coordinates picked from (x, y, z) for the grids of planes xy, yz, xz in turn.
    private static readonly long[] PlaneAxes = [0, 1, 1, 2, 0, 2];

    /// <summary>L·C: channels per point after sampling a pyramid built with <paramref name="config"/>.</summary>
    public static int OutputChannels(S3DNeRFConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Levels * config.PlaneChannels;
    }

    /// <summary>points [B, N, 3] in [-1, 1]³ → [B, N, L·C]; outside the cube the planes read as zero.</summary>
    public static Tensor Sample(TriPlanePyramid pyramid, Tensor points)
    {
        ArgumentNullException.ThrowIfNull(pyramid);
        return Sample(pyramid.Planes, points);
    }

    /// <summary>planes per level [B, 3, C, H_i, W_i], points [B, N, 3] → [B, N, L·C].</summary>
    public static Tensor Sample(IReadOnlyList<Tensor> planes, Tensor points)
    {
        ArgumentNullException.ThrowIfNull(planes);
        ArgumentNullException.ThrowIfNull(points);
        var pointShape = points.shape;
        if (pointShape.Length != 3 || pointShape[2] != 3)
        {
            throw new ArgumentException($"points must be [B, N, 3], got [{string.Join(", ", pointShape)}]", nameof(points));
        }
        var (batch, count) = (pointShape[0], pointShape[1]);

        using var scope = NewDisposeScope();
        // [B, N, 6] → [B, N, 3 planes, 2] → [B·3, 1, N, 2]: one grid_sample call per level covers all three planes.
        var axes = tensor(PlaneAxes, device: points.device);
        var grid = points.index_select(2, axes).view(batch, count, 3, 2).permute(0, 2, 1, 3).reshape(batch * 3, 1, count, 2);

        var levels = new Tensor[planes.Count];
        for (var i = 0; i < planes.Count; i++)
        {
            var shape = planes[i].shape;
            if (shape.Length != 5 || shape[0] != batch || shape[1] != 3)
            {
                throw new ArgumentException($"level {i} planes must be [{batch}, 3, C, H, W], got [{string.Join(", ", shape)}]", nameof(planes));
            }
            var (channels, height, width) = (shape[2], shape[3], shape[4]);
            var flat = planes[i].reshape(batch * 3, channels, height, width);
            var sampled = F.grid_sample(flat, grid.to(flat.dtype), GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
            // [B·3, C, 1, N] → [B, 3, C, N] → sum of the planes → [B, N, C]
            levels[i] = sampled.view(batch, 3, channels, count).sum(1).transpose(1, 2);
        }
        return cat(levels, dim: 2).MoveToOuterDisposeScope();
    }
}
