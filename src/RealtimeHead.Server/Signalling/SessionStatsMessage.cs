namespace RealtimeHead.Server.Signalling;

/// <summary>
/// A session's live figures, pushed to its client about once a second (<c>Web:StatsInterval</c>) as the hub message
/// <c>Stats</c>. Null = not measured yet (no frame sent, no speech yet ...).
/// </summary>
/// <param name="SessionId">The session the figures are of.</param>
/// <param name="Fps">Video frames sent per second since the previous message; null in the first message.</param>
/// <param name="FramesSent">Video frames sent since the session started (all kinds).</param>
/// <param name="RepeatedFrames">Of those, frames that repeated the previous image (overload, degradation, failure).</param>
/// <param name="IdleFrames">Of those, frames rendered without audio (the face idles).</param>
/// <param name="LateFrames">Audio-timed frames sent after their playout time.</param>
/// <param name="MouthToWireP50Ms">Median time from an instant of voice arriving to its video frame on the wire, over the last frames.</param>
/// <param name="MouthToWireP95Ms">95th percentile of the same.</param>
/// <param name="LipOffsetMs">Latest lip offset (video send time − send time of the same instant of audio); positive = lips behind.</param>
/// <param name="AvDelayMs">Delay applied to the outgoing voice to match the video path.</param>
/// <param name="DegradationLevel">Rung of the render device's ladder: 0 full, 1 no super-resolution, 2 low resolution, 3 repeat last frame.</param>
/// <param name="Degradation">The rung's name: full, no_super_resolution, low_resolution, repeat_last_frame.</param>
/// <param name="FirstFrameMs">Time from the session start to its first frame on the wire.</param>
public sealed record SessionStatsMessage(
    string SessionId,
    double? Fps,
    long FramesSent,
    long RepeatedFrames,
    long IdleFrames,
    long LateFrames,
    double? MouthToWireP50Ms,
    double? MouthToWireP95Ms,
    double? LipOffsetMs,
    double AvDelayMs,
    int DegradationLevel,
    string Degradation,
    double? FirstFrameMs);
