namespace RealtimeHead.Rendering;

/// <summary>Head rotation of a rendered frame, in radians (0, 0, 0 = the portrait's own frontal view).</summary>
public readonly record struct HeadPose(float Yaw, float Pitch, float Roll)
{
    public static HeadPose Frontal => default;
}

/// <summary>How much work a frame may cost: the degradation ladder steps down this list under load.</summary>
public enum RenderQuality
{
    /// <summary>Full render and super-resolution.</summary>
    Full = 0,

    /// <summary>Skip super-resolution: the coarse render upsampled.</summary>
    NoSuperResolution = 1,

    /// <summary>A lower render resolution, no super-resolution.</summary>
    LowResolution = 2,
}

/// <summary>A portrait's cached encoding (everything that depends on the image only). Disposing frees it.</summary>
public interface IPortraitEncoding : IDisposable
{
    /// <summary>Stable id of the portrait (avatar id or upload hash).</summary>
    string PortraitId { get; }
}

/// <summary>One frame to render: whose face, which audio, which pose, at what quality.</summary>
/// <param name="Portrait">The cached encoding of the face.</param>
/// <param name="AudioWindow">Feature window centred on the frame, [window frames × feature dim] row-major.</param>
/// <param name="Pose">Head pose of the frame (idle motion, nods).</param>
/// <param name="Quality">Rung of the degradation ladder.</param>
public sealed record RenderRequest(IPortraitEncoding Portrait, float[] AudioWindow, HeadPose Pose, RenderQuality Quality);

/// <summary>A rendered frame: packed RGB24, row-major.</summary>
public sealed record RenderedFrame(byte[] Rgb, int Width, int Height);

/// <summary>
/// The talking-head model as the pipeline sees it: portraits are encoded once, then frames of many sessions (different
/// portraits) render together in one batch. Implementations are used from one render thread per device.
/// </summary>
public interface ITalkingHeadRenderer : IDisposable
{
    /// <summary>Side of the square output frames, in pixels.</summary>
    int FrameSize { get; }

    /// <summary>Feature frames in one audio window, and the dimension of each.</summary>
    int AudioWindowFrames { get; }

    int AudioFeatureDim { get; }

    /// <summary>Encodes a portrait (packed RGB24, square, <see cref="FrameSize"/> on a side).</summary>
    IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height);

    /// <summary>Renders every request; the result has one frame per request, in order.</summary>
    IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch);
}
