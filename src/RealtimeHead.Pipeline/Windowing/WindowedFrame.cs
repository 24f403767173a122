namespace RealtimeHead.Pipeline.Windowing;

/// <summary>The audio window of one video frame.</summary>
/// <param name="FrameIndex">Index <c>k</c> of the frame on the session's video grid.</param>
/// <param name="MediaTimestamp">The frame's instant, <c>k × samples per frame</c> on the 48 kHz clock.</param>
/// <param name="Window">[window frames × feature dim] row-major, centre row <c>window frames / 2</c> at the frame's instant.</param>
/// <param name="IsSpeech">Whether the centre feature frame was speech (false: silence features were used).</param>
internal sealed record WindowedFrame(long FrameIndex, long MediaTimestamp, float[] Window, bool IsSpeech);
