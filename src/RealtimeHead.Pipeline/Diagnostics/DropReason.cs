namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>Why the pipeline dropped an item; the tag of the drops counter.</summary>
public enum DropReason
{
    /// <summary>A stage queue was full and its oldest item made room (the stage behind it is too slow).</summary>
    QueueFull = 0,

    /// <summary>A frame waited for rendering longer than its queue allows; a repeat keeps its timestamp.</summary>
    Stale = 1,

    /// <summary>Discarded by a barge-in flush.</summary>
    Flushed = 2,

    /// <summary>The render thread was still busy at the tick; a repeat keeps the frame's timestamp.</summary>
    RenderOverrun = 3,

    /// <summary>The degradation ladder is on its last rung; a repeat keeps the frame's timestamp.</summary>
    Degraded = 4,

    /// <summary>The session's output queue was full (its consumer is slow): its own frame is lost, nobody else's.</summary>
    OutputFull = 5,

    /// <summary>No frame was ever rendered for the session, so there is nothing to repeat.</summary>
    NothingToRepeat = 6,

    /// <summary>Frames skipped because no audio came for them and their send time had passed.</summary>
    Starved = 7,

    /// <summary>The renderer threw; the batch's frames are repeats.</summary>
    RenderFailed = 8,

    /// <summary>The transport refused the frame (threw).</summary>
    SendFailed = 9,

    /// <summary>Inbound audio that is not 48 kHz (the media clock's rate) or has no samples.</summary>
    UnsupportedFormat = 10,
}
