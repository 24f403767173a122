using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>A frame waiting for the render tick.</summary>
/// <param name="MediaTimestamp">The frame's instant on the session's 48 kHz clock; every output of it keeps this timestamp.</param>
/// <param name="Window">Audio window, [window frames × feature dim].</param>
/// <param name="Pose">Head pose.</param>
/// <param name="Kind"><see cref="FrameKind.Audio"/> or <see cref="FrameKind.Idle"/>.</param>
/// <param name="Deadline"><see cref="TimeProvider"/> timestamp at which the frame goes out (its playout time).</param>
/// <param name="Epoch">The session's flush epoch when the frame was made; older epochs are discarded.</param>
/// <param name="Timings">Stage timestamps.</param>
internal sealed record PendingFrame(long MediaTimestamp, float[] Window, HeadPose Pose, FrameKind Kind, long Deadline, int Epoch,
    FrameTimings Timings);

/// <summary>A frame image ready for conversion.</summary>
/// <param name="Image">Packed RGB24; null for a repeat (the send stage reuses the latest image it sent).</param>
/// <param name="MediaTimestamp">The frame's instant; repeats carry their own frame's instant, not the image's.</param>
/// <param name="Kind">How the image was made.</param>
/// <param name="Deadline">Playout timestamp.</param>
/// <param name="Epoch">Flush epoch.</param>
/// <param name="Timings">Stage timestamps.</param>
internal sealed record RenderedVideo(RenderedFrame? Image, long MediaTimestamp, FrameKind Kind, long Deadline, int Epoch, FrameTimings Timings);
