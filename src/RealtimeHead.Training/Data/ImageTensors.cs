using RealtimeHead.Imaging;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Training.Data;

/// <summary>Conversions between <see cref="RgbImage"/> and the model's image tensors.</summary>
public static class ImageTensors
{
    /// <summary>RGB image → [3, H, W] in [-1, 1] (the generator's range).</summary>
    public static Tensor ToTensor(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var values = new float[3 * plane];
        var pixels = image.Pixels;
        for (var p = 0; p < plane; p++)
        {
            values[p] = pixels[3 * p] / 127.5f - 1;
            values[plane + p] = pixels[3 * p + 1] / 127.5f - 1;
            values[2 * plane + p] = pixels[3 * p + 2] / 127.5f - 1;
        }
        return tensor(values, [3, image.Height, image.Width]);
    }

    /// <summary>One channel of a mask image (0 or 255) → [1, H, W] in [0, 1].</summary>
    public static Tensor MaskChannel(RgbImage mask, int channel)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 2);
        var plane = mask.Width * mask.Height;
        var values = new float[plane];
        for (var p = 0; p < plane; p++) values[p] = mask.Pixels[3 * p + channel] / 255f;
        return tensor(values, [1, mask.Height, mask.Width]);
    }

    /// <summary>
    /// Resizes [N, C, H, W] to [N, C, size, size]: area averaging when shrinking (no aliasing), bilinear when enlarging,
    /// unchanged when already that size.
    /// </summary>
    public static Tensor Resize(Tensor images, int size)
    {
        ArgumentNullException.ThrowIfNull(images);
        var (h, w) = (images.size(2), images.size(3));
        if (h == size && w == size) return images.alias();
        var mode = h >= size && w >= size ? InterpolationMode.Area : InterpolationMode.Bilinear;
        return mode == InterpolationMode.Area
            ? F.interpolate(images, [size, size], mode: mode)
            : F.interpolate(images, [size, size], mode: mode, align_corners: false);
    }

    /// <summary>[3, H, W] in [-1, 1] → RGB image (clamped, rounded).</summary>
    public static RgbImage ToImage(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (h, w) = ((int)image.size(1), (int)image.size(2));
        float[] values;
        using (NewDisposeScope())
        {
            values = image.detach().to(ScalarType.Float32).add(1).mul(127.5).clamp(0, 255).contiguous().data<float>();
        }
        var result = new RgbImage(w, h);
        var plane = w * h;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++) result.Pixels[3 * p + c] = (byte)MathF.Round(values[c * plane + p]);
        }
        return result;
    }
}
