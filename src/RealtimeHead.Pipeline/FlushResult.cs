namespace RealtimeHead.Pipeline;

/// <summary>
/// The answer to a barge-in: how far the avatar actually got. Positions are on the session's 48 kHz media clock.
/// </summary>
/// <param name="LastVideoTimestamp">Timestamp of the last video frame handed to the transport; −1 if none ever was.</param>
/// <param name="AudioEnd">Media position just after the last audio sample handed to the transport; −1 if none ever was.</param>
/// <param name="Complete">
/// True when no send was in flight once the flush returned, so the positions are final; false when a transport send
/// ignored cancellation past <see cref="PipelineSessionOptions.FlushTimeout"/> (that one frame may still go out).
/// </param>
/// <param name="Elapsed">How long the flush took.</param>
public sealed record FlushResult(long LastVideoTimestamp, long AudioEnd, bool Complete, TimeSpan Elapsed);
