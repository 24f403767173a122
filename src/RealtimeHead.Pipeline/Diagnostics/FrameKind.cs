namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>Where a sent video frame came from; the tag of the frames counter.</summary>
public enum FrameKind
{
    /// <summary>Rendered from the session's audio window (speech, or silence features while the voice is quiet).</summary>
    Audio = 0,

    /// <summary>Rendered from silence features because no audio arrived for it (the face idles, it never freezes).</summary>
    Idle = 1,

    /// <summary>The previous image again with this frame's own timestamp (overload, degraded, or render failure).</summary>
    Repeated = 2,
}
