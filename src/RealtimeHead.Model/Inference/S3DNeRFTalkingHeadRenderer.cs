using RealtimeHead.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Inference;

/// <summary>
/// <see cref="ITalkingHeadRenderer"/> over <see cref="S3DNeRFInference"/>: packed RGB24 in and out, portraits assumed
/// frontal (P_src = the config's frontal camera), <see cref="RealtimeHead.Rendering.HeadPose"/> (yaw, pitch, roll) turned into P_tar by
/// <see cref="Camera.HeadPose.LookAt(float, float, float, float)"/> at <see cref="S3DNeRFConfig.CameraDistance"/>.
/// Quality rungs: Full = NeRF + super-resolution; NoSuperResolution = the coarse render bilinearly upsampled;
/// LowResolution = a render at half the render size, upsampled.
/// Device: the model's (<see cref="S3DNeRFModelFactory"/> places it); the packed inputs become CPU tensors that the
/// inference moves once per call, and a batch's frames are turned into bytes on the device and copied back in one transfer.
/// </summary>
public sealed class S3DNeRFTalkingHeadRenderer : ITalkingHeadRenderer
{
    private readonly S3DNeRFInference _inference;
    private float[] _pixels = [];

    /// <param name="model">The model (see <see cref="S3DNeRFModelFactory"/>).</param>
    /// <param name="ownsModel">Dispose the model with the renderer.</param>
    public S3DNeRFTalkingHeadRenderer(S3DNeRF model, bool ownsModel = true)
    {
        _inference = new S3DNeRFInference(model, ownsModel);
    }

    public S3DNeRFInference Inference => _inference;

    /// <summary>The device the model renders on.</summary>
    public Device Device => _inference.Device;

    public int FrameSize => _inference.Config.ImageSize;

    public int AudioWindowFrames => _inference.Config.AudioWindow;

    public int AudioFeatureDim => _inference.Config.AudioFeatureDim;

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(portraitId);
        ArgumentNullException.ThrowIfNull(rgb);
        if (width != FrameSize || height != FrameSize)
        {
            throw new ArgumentException($"portrait '{portraitId}' is {width}x{height}, expected {FrameSize}x{FrameSize}", nameof(width));
        }
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"portrait '{portraitId}' has {rgb.Length} bytes, expected {width * height * 3} for {width}x{height} RGB24", nameof(rgb));
        }
        using var scope = NewDisposeScope();
        using var image = FromRgb24(rgb, width, height);
        return _inference.Encode(image, null, portraitId);
    }

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return [];
        var config = _inference.Config;
        var windowLength = config.AudioWindow * config.AudioFeatureDim;
        using var scope = NewDisposeScope();
        var requests = new FrameRequest[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i] ?? throw new ArgumentException($"batch[{i}] is null", nameof(batch));
            if (request.Portrait is not PortraitEncoding portrait)
            {
                throw new ArgumentException($"batch[{i}]: the portrait was not encoded by this renderer ({request.Portrait?.GetType().Name ?? "null"})", nameof(batch));
            }
            if (request.AudioWindow is null || request.AudioWindow.Length != windowLength)
            {
                throw new ArgumentException(
                    $"batch[{i}]: the audio window has {request.AudioWindow?.Length ?? 0} values, expected {windowLength} ({config.AudioWindow} frames x {config.AudioFeatureDim} features)", nameof(batch));
            }
            var audio = tensor(request.AudioWindow, [config.AudioWindow, config.AudioFeatureDim]);
            var pose = Camera.HeadPose.LookAt(request.Pose.Yaw, request.Pose.Pitch, request.Pose.Roll, config.CameraDistance);
            requests[i] = new FrameRequest(portrait, audio, pose, request.Quality);
        }
        var frames = _inference.RenderOnDevice(requests);
        return ToRgb24(frames);
    }

    /// <summary>RGB24 [H·W·3] → [1, 3, H, W] in [-1, 1] (reuses a managed staging buffer).</summary>
    private Tensor FromRgb24(byte[] rgb, int width, int height)
    {
        if (_pixels.Length != rgb.Length) _pixels = new float[rgb.Length];
        for (var i = 0; i < rgb.Length; i++) _pixels[i] = rgb[i] / 127.5f - 1f;
        using var scope = NewDisposeScope();
        return tensor(_pixels, [1, height, width, 3]).permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Frames [B, 3, S, S] in [-1, 1] (any device) → RGB24 frames: quantised where they are, one copy of the bytes to the CPU.</summary>
    private static RenderedFrame[] ToRgb24(Tensor frames)
    {
        using var scope = NewDisposeScope();
        var (b, s) = (frames.size(0), (int)frames.size(2));
        var bytes = frames.add(1).mul(127.5).round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>();
        var result = new RenderedFrame[b];
        var frameBytes = s * s * 3;
        for (var i = 0; i < b; i++) result[i] = new RenderedFrame(bytes.AsSpan(i * frameBytes, frameBytes).ToArray(), s, s);
        return result;
    }

    public void Dispose() => _inference.Dispose();
}
