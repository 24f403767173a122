using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Rendering;

/// <summary>
/// The still-avatar baseline: the source portrait (frame 0) shown for every frame. Its scores are what a model earns by
/// not animating at all (its PSNR and LMD come only from the head pose and the mouth staying where the source has them,
/// its Sync from a mouth that never moves), so an animated model's row is read against it, not only against the ground
/// truth. It renders nothing, so its fps is n/a.
/// </summary>
public sealed class SourceFrameClipRenderer(int outputSize, string name = "Source frame repeated (still avatar)") : IClipRenderer
{
    public string Name { get; } = name;

    public int OutputSize { get; } = outputSize;

    public (IReadOnlyList<RgbImage> Frames, double RenderSeconds) Render(ClipData clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var source = ImageOps.Resize(clip.Frames[0], OutputSize, OutputSize);
        return (Enumerable.Repeat(source, clip.FrameCount).ToArray(), 0);
    }
}
