using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Camera;

/// <summary>Rays in the world frame: origins and unit directions, [B, M, 3] each (M rays per batch element).</summary>
public sealed record RayBundle(Tensor Origins, Tensor Directions)
{
    public long Batch => Origins.size(0);
    public long Count => Origins.size(1);
}

/// <summary>
/// Pinhole rays through pixel centres of an R×R image (nerfstudio's RayGenerator). Pixel (row v, column u) has index
/// v·R + u (row-major, as a flattened [R, R] image) and centre (u + ½, v + ½); its camera-frame direction is
/// ((u + ½ − R/2)/f, (v + ½ − R/2)/f, 1) with f = FocalLength·R pixels (OpenCV axes, principal point at the image
/// centre), rotated into the world by the pose and normalised, so the ray parameter t is a Euclidean distance.
/// </summary>
public sealed class RayGenerator
{
    public RayGenerator(int resolution, float focalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        if (!(focalLength > 0) || float.IsInfinity(focalLength)) throw new ArgumentOutOfRangeException(nameof(focalLength), focalLength, "must be positive and finite");
        Resolution = resolution;
        FocalLength = focalLength;
    }

    /// <summary>Rays of the coarse NeRF render: <see cref="S3DNeRFConfig.RenderSize"/> and <see cref="S3DNeRFConfig.FocalLength"/>.</summary>
    public RayGenerator(S3DNeRFConfig config) : this(config.RenderSize, config.FocalLength)
    {
    }

    /// <summary>R: side of the square image in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Focal length in units of the image width.</summary>
    public float FocalLength { get; }

    public int PixelCount => Resolution * Resolution;

    /// <summary>Every pixel: pose [B, 4, 4] (camera-to-world) → rays [B, R·R, 3], pixel-index order.</summary>
    public RayBundle Generate(Tensor pose)
    {
        using var scope = NewDisposeScope();
        var directions = CameraDirections(pose.device).unsqueeze(0).expand(pose.size(0), PixelCount, 3);
        return ToWorld(pose, directions);
    }

    /// <summary>A subset of pixels: pose [B, 4, 4], pixel indices [B, M] (int64, v·R + u) → rays [B, M, 3].</summary>
    public RayBundle Generate(Tensor pose, Tensor pixelIndices)
    {
        if (pixelIndices.Dimensions != 2 || pixelIndices.size(0) != pose.size(0))
        {
            throw new ArgumentException($"pixel indices must be [B, M] with B = {pose.size(0)}, got {pixelIndices}", nameof(pixelIndices));
        }
        using var scope = NewDisposeScope();
        var all = CameraDirections(pose.device);
        var directions = all.index_select(0, pixelIndices.flatten()).reshape(pixelIndices.size(0), pixelIndices.size(1), 3);
        return ToWorld(pose, directions);
    }

    /// <summary>
    /// Pixel indices of a mask, padded to a common length: mask [B, R, R] (nonzero = render) → indices [B, M] (int64)
    /// and valid [B, M] (bool), M the largest count in the batch. Each row lists its mask's pixels in index order and is
    /// padded with pixels outside its mask (valid = false) so every batch element renders the same number of rays.
    /// </summary>
    public (Tensor Indices, Tensor Valid) MaskedPixelIndices(Tensor mask)
    {
        if (mask.Dimensions != 3 || mask.size(1) != Resolution || mask.size(2) != Resolution)
        {
            throw new ArgumentException($"mask must be [B, {Resolution}, {Resolution}], got {mask}", nameof(mask));
        }
        using var scope = NewDisposeScope();
        var inside = mask.ne(0).reshape(mask.size(0), PixelCount);
        var count = Math.Max(1L, inside.sum(1).max().ToInt64());
        // Inside pixels score in (1, 2], outside in (0, 1]; the position term orders each group by index (no ties).
        var position = arange(PixelCount, ScalarType.Float32, mask.device).div(PixelCount);
        var score = inside.to(ScalarType.Float32).add(1).sub(position);
        var (_, indices) = score.topk(count, 1, largest: true);
        var valid = inside.gather(1, indices);
        return (indices.MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }

    /// <summary>Camera-frame directions of every pixel centre (not normalised, z = 1): [R·R, 3].</summary>
    private Tensor CameraDirections(Device device)
    {
        using var scope = NewDisposeScope();
        var focal = FocalLength * Resolution;
        var centres = arange(0.5, Resolution, 1, ScalarType.Float32, device).sub(Resolution / 2.0).div(focal);
        var grid = meshgrid([centres, centres], "ij"); // grid[0] varies with the row v, grid[1] with the column u
        var x = grid[1].flatten();
        var y = grid[0].flatten();
        return stack([x, y, ones_like(x)], 1).MoveToOuterDisposeScope();
    }

    private static RayBundle ToWorld(Tensor pose, Tensor cameraDirections)
    {
        var directions = HeadPose.TransformDirections(pose.to(ScalarType.Float32), cameraDirections);
        directions = directions.div(directions.norm(-1, keepdim: true));
        var origins = HeadPose.Translation(pose).to(ScalarType.Float32).unsqueeze(1).expand_as(directions).contiguous();
        return new RayBundle(origins.MoveToOuterDisposeScope(), directions.MoveToOuterDisposeScope());
    }
}
