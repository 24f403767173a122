namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>
/// <see cref="TimeProvider"/> timestamps a video frame collects on its way through the stages; the send stage turns
/// them into the per-stage latency histograms. Zero means the frame skipped that stage (idle or repeated frames).
/// </summary>
internal sealed class FrameTimings
{
    /// <summary>When the audio that completed the frame's features arrived.</summary>
    public long AudioArrived { get; set; }

    /// <summary>When the centre feature frame was computed.</summary>
    public long Featured { get; set; }

    /// <summary>When the window was ready and queued for rendering.</summary>
    public long Windowed { get; set; }

    public long RenderStarted { get; set; }

    public long RenderEnded { get; set; }

    public long Converted { get; set; }
}
