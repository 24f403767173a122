using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Discriminators;

/// <summary>
/// Cuts the lip regions out of T frames for the <see cref="LipSyncDiscriminator"/> (S3D-NeRF Sec. 3.4: "the lip regions
/// are cropped through the pre-extracted bounding boxes of the ground-truth"). Bilinear resampling, so the crop is
/// differentiable with respect to the frames: the generator's sync loss reaches the generated pixels through it.
/// </summary>
public static class LipCrop
{
    /// <summary>
    /// frames [B, T, C, H, W], boxes [B, T, 4] or [B, 4] (one box for all T frames) as (x0, y0, x1, y1) in fractions
    /// of the frame width and height (0 = left/top edge, 1 = right/bottom edge) → crops [B, T, C, height, width].
    /// Samples outside the frame repeat the border pixels.
    /// </summary>
    public static Tensor Crop(Tensor frames, Tensor boxes, int height, int width)
    {
        var shape = frames.shape;
        if (shape.Length != 5) throw new ArgumentException($"frames must be [B, T, C, H, W], got [{string.Join(", ", shape)}]", nameof(frames));
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"crop size {height}x{width} must be positive");
        long b = shape[0], t = shape[1];
        var boxShape = boxes.shape;
        var perFrame = boxShape.Length == 3 && boxShape[0] == b && boxShape[1] == t && boxShape[2] == 4;
        var perClip = boxShape.Length == 2 && boxShape[0] == b && boxShape[1] == 4;
        if (!perFrame && !perClip)
        {
            throw new ArgumentException($"boxes must be [{b}, {t}, 4] or [{b}, 4], got [{string.Join(", ", boxShape)}]", nameof(boxes));
        }

        using var scope = NewDisposeScope();
        var n = b * t;
        var flatBoxes = (perClip ? boxes.unsqueeze(1).expand(b, t, 4) : boxes).reshape(n, 4).to(frames.dtype, frames.device);
        // Output pixel centres, as fractions of the crop: (j + 0.5) / size.
        var xs = (arange(width, frames.dtype, frames.device) + 0.5) / width;
        var ys = (arange(height, frames.dtype, frames.device) + 0.5) / height;
        var x0 = flatBoxes.narrow(1, 0, 1);
        var y0 = flatBoxes.narrow(1, 1, 1);
        var u = x0 + xs.unsqueeze(0) * (flatBoxes.narrow(1, 2, 1) - x0); // [N, w]
        var v = y0 + ys.unsqueeze(0) * (flatBoxes.narrow(1, 3, 1) - y0); // [N, h]
        // grid_sample with align_corners = false maps -1 and 1 to the outer pixel edges, i.e. fraction 0 and 1.
        var gx = (u * 2 - 1).unsqueeze(1).expand(n, height, width);
        var gy = (v * 2 - 1).unsqueeze(2).expand(n, height, width);
        var grid = stack([gx, gy], -1);
        var flat = frames.reshape(n, shape[2], shape[3], shape[4]);
        var crops = F.grid_sample(flat, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return crops.reshape(b, t, shape[2], height, width).MoveToOuterDisposeScope();
    }
}
