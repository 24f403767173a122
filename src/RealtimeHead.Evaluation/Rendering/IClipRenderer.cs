using RealtimeHead.Evaluation.Data;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Rendering;

/// <summary>What the evaluation scores: something that re-creates a clip from its first frame, its audio and its poses.</summary>
public interface IClipRenderer
{
    /// <summary>Row label in the report.</summary>
    string Name { get; }

    /// <summary>Side of the square frames it produces; the evaluation measures everything at this size.</summary>
    int OutputSize { get; }

    /// <summary>
    /// Renders every frame of <paramref name="clip"/> single-shot: the only image it may look at is frame 0 (the source
    /// portrait); per frame it gets the audio features and the camera pose. Returns the frames and the seconds spent
    /// rendering them (excluding the one-off portrait encoding).
    /// </summary>
    (IReadOnlyList<RgbImage> Frames, double RenderSeconds) Render(ClipData clip);
}
