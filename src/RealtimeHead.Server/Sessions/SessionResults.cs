namespace RealtimeHead.Server.Sessions;

/// <summary>A STUN/TURN server as <c>RTCPeerConnection</c>'s <c>iceServers</c> takes it.</summary>
public sealed record IceServerDescriptor(IReadOnlyList<string> Urls, string? Username, string? Credential);

/// <summary>The answer to Join.</summary>
/// <param name="SessionId">The session's id (in logs, metrics and every later message).</param>
/// <param name="AvatarId">The avatar the session shows.</param>
/// <param name="IceServers">Servers the browser should use to reach the server's media port.</param>
/// <param name="FrameSize">Side of the video frames, in pixels.</param>
public sealed record JoinResponse(string SessionId, string AvatarId, IReadOnlyList<IceServerDescriptor> IceServers, int FrameSize);

/// <summary>The answer to BargeIn: what had actually been sent when everything queued was dropped.</summary>
/// <param name="LastVideoTimestamp">Media timestamp (48 kHz) of the last video frame handed to the transport, or -1.</param>
/// <param name="AudioEnd">Media timestamp just after the last audio handed to the transport, or -1.</param>
/// <param name="EmittedMilliseconds">The audio end in milliseconds of session media time (0 when none was sent).</param>
/// <param name="Complete">False when an in-flight send did not finish within the flush timeout.</param>
public sealed record BargeInResponse(long LastVideoTimestamp, long AudioEnd, double EmittedMilliseconds, bool Complete);

/// <summary>Sent to the client when its session ends without a Leave.</summary>
public sealed record SessionEndedMessage(string SessionId, string Reason);
