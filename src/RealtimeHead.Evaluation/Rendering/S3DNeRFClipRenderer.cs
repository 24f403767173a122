using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;
using RealtimeHead.Model.Inference;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Evaluation.Rendering;

/// <summary>
/// Renders clips with <see cref="S3DNeRFInference"/>: frame 0 resized to the model's image size is the source portrait,
/// encoded once with frame 0's pose; frames are rendered in batches with the log-mel window of each frame
/// (<see cref="ClipAudioFeatures.GeneratorWindow"/>) and its track pose, at full quality.
/// </summary>
public sealed class S3DNeRFClipRenderer(S3DNeRFInference inference, string name, int batchSize = 8, TimeProvider? time = null) : IClipRenderer
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Name { get; } = name;

    public int OutputSize => inference.Config.ImageSize;

    public (IReadOnlyList<RgbImage> Frames, double RenderSeconds) Render(ClipData clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var config = inference.Config;
        var size = config.ImageSize;
        var device = inference.Model.parameters().First().device;
        var source = ImageOps.Sample(clip.Frames[0], new PixelBox(0, 0, clip.Frames[0].Width, clip.Frames[0].Height), size, size, gray: false);
        for (var i = 0; i < source.Length; i++) source[i] = 2 * source[i] - 1;
        var frames = new RgbImage[clip.FrameCount];
        double seconds = 0;
        using var scope = NewDisposeScope();
        using var portrait = inference.Encode(tensor(source, [1, 3, size, size]).to(device), Pose(clip.Poses[0]).to(device), clip.Entry.Id);
        for (var start = 0; start < clip.FrameCount; start += batchSize)
        {
            var n = Math.Min(batchSize, clip.FrameCount - start);
            using var batchScope = NewDisposeScope();
            var requests = new FrameRequest[n];
            for (var k = 0; k < n; k++)
            {
                var audio = tensor(clip.Features.GeneratorWindow(start + k, config.AudioWindow), [config.AudioWindow, config.AudioFeatureDim]).to(device);
                requests[k] = new FrameRequest(portrait, audio, Pose(clip.Poses[start + k]).to(device));
            }
            var began = _time.GetTimestamp();
            var rendered = inference.Render(requests).to(ScalarType.Float32).cpu();
            seconds += _time.GetElapsedTime(began).TotalSeconds;
            var values = rendered.data<float>();
            var plane = 3 * size * size;
            for (var k = 0; k < n; k++) frames[start + k] = ImageOps.FromPlanar(values.AsSpan(k * plane, plane).ToArray(), size, size);
        }
        return (frames, seconds);
    }

    private static Tensor Pose(double[] cameraToWorld) => tensor(cameraToWorld.Select(v => (float)v).ToArray(), [4, 4]);
}
