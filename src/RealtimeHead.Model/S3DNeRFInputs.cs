using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model;

/// <summary>
/// Checks of the tensors handed to <see cref="S3DNeRF"/>: each failure is an <see cref="ArgumentException"/> that names
/// the argument, the expected shape and what was given (or the NaN), so a wrong wiring fails at the boundary instead of
/// deep inside a convolution.
/// </summary>
public static class S3DNeRFInputs
{
    /// <summary>A whole frame: image [B, 3, S, S], P_src [B, 4, 4], audio [B, W, F], P_tar [B, 4, 4].</summary>
    public static void ValidateFrame(S3DNeRFConfig config, Tensor source, Tensor sourcePose, Tensor audio, Tensor targetPose)
    {
        ValidateImage(config, source, nameof(source));
        var batch = source.size(0);
        ValidatePose(sourcePose, batch, nameof(sourcePose));
        ValidateAudio(config, audio, batch, nameof(audio));
        ValidatePose(targetPose, batch, nameof(targetPose));
    }

    /// <summary>An image [B, 3, S, S] with S = <see cref="S3DNeRFConfig.ImageSize"/>.</summary>
    public static void ValidateImage(S3DNeRFConfig config, Tensor image, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(image, name);
        var shape = image.shape;
        if (shape.Length != 4) throw new ArgumentException($"{name} must be an image batch [B, 3, {config.ImageSize}, {config.ImageSize}], got {Describe(shape)}", name);
        if (shape[1] != 3) throw new ArgumentException($"{name} has {shape[1]} channels, expected 3 (RGB): {Describe(shape)}", name);
        if (shape[2] != config.ImageSize || shape[3] != config.ImageSize)
        {
            throw new ArgumentException($"{name} is {shape[3]}x{shape[2]}, expected {config.ImageSize}x{config.ImageSize} (ImageSize of preset '{config.Preset}')", name);
        }
        if (shape[0] < 1) throw new ArgumentException($"{name} is an empty batch", name);
    }

    /// <summary>Poses [B, 4, 4] (camera-to-world) with the given batch size.</summary>
    public static void ValidatePose(Tensor pose, long batch, string name)
    {
        ArgumentNullException.ThrowIfNull(pose, name);
        var shape = pose.shape;
        if (shape.Length != 3 || shape[1] != 4 || shape[2] != 4)
        {
            throw new ArgumentException($"{name} must be 4x4 pose matrices [B, 4, 4], got {Describe(shape)}", name);
        }
        if (shape[0] != batch) throw new ArgumentException($"{name} has batch size {shape[0]}, but the images have {batch}", name);
    }

    /// <summary>Audio windows [B, W, F] with W = AudioWindow, F = AudioFeatureDim, all finite.</summary>
    public static void ValidateAudio(S3DNeRFConfig config, Tensor audio, long batch, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(audio, name);
        var shape = audio.shape;
        if (shape.Length != 3 || shape[1] != config.AudioWindow || shape[2] != config.AudioFeatureDim)
        {
            throw new ArgumentException(
                $"{name} must be audio windows [B, {config.AudioWindow}, {config.AudioFeatureDim}] ({config.AudioWindow} frames of {config.AudioFeatureDim} features), got {Describe(shape)}", name);
        }
        if (shape[0] != batch) throw new ArgumentException($"{name} has batch size {shape[0]}, but the images have {batch}", name);
        using var scope = NewDisposeScope();
        if (!audio.isfinite().all().item<bool>()) throw new ArgumentException($"{name} contains NaN or infinite values", name);
    }

    /// <summary>An inner-face mask [B, R, R] (R = RenderSize).</summary>
    public static void ValidateMask(S3DNeRFConfig config, Tensor mask, long batch)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var shape = mask.shape;
        if (shape.Length != 3 || shape[0] != batch || shape[1] != config.RenderSize || shape[2] != config.RenderSize)
        {
            throw new ArgumentException($"innerFaceMask must be [{batch}, {config.RenderSize}, {config.RenderSize}], got {Describe(shape)}", nameof(mask));
        }
    }

    internal static string Describe(long[] shape) => $"[{string.Join(", ", shape)}]";
}
