using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Rendering;

/// <summary>The ground truth as a "renderer": the clip's own frames resized to <see cref="OutputSize"/> (the report's reference row, and a check of the evaluation itself).</summary>
public sealed class GroundTruthClipRenderer(int outputSize, string name = "Ground truth") : IClipRenderer
{
    public string Name { get; } = name;

    public int OutputSize { get; } = outputSize;

    public (IReadOnlyList<RgbImage> Frames, double RenderSeconds) Render(ClipData clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return (clip.Frames.Select(f => ImageOps.Resize(f, OutputSize, OutputSize)).ToArray(), 0);
    }
}
