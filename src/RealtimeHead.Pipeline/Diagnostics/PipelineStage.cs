namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>A stage of the pipeline; the tag of the latency histogram and the queue-depth gauge.</summary>
internal enum PipelineStage
{
    /// <summary>Inbound 48 kHz audio to mono floats.</summary>
    Inbound = 0,

    /// <summary>48 kHz to 16 kHz.</summary>
    Resample = 1,

    /// <summary>Voice activity and speech features.</summary>
    Features = 2,

    /// <summary>From the capture of a frame's instant to its window being ready (lookahead, front-end, queueing).</summary>
    Window = 3,

    /// <summary>From a ready window to the start of its batch (waiting for a tick and the render thread).</summary>
    RenderQueue = 4,

    /// <summary>The batch render call.</summary>
    Render = 5,

    /// <summary>RGB24 to I420.</summary>
    Convert = 6,

    /// <summary>Holding a converted frame until its playout time, plus the send call.</summary>
    Send = 7,

    /// <summary>Outgoing voice: held for the A/V delay, then sent.</summary>
    AudioOut = 8,
}
