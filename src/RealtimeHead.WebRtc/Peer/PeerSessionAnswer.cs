namespace RealtimeHead.WebRtc.Peer;

/// <summary>A new session and the SDP answer to send back to the browser.</summary>
/// <param name="Session">The session; it closes on its own when the browser leaves (see <see cref="PeerSession.Completion"/>).</param>
/// <param name="AnswerSdp">The answer (CRLF line ends) for <c>RTCPeerConnection.setRemoteDescription</c>.</param>
public sealed record PeerSessionAnswer(PeerSession Session, string AnswerSdp);
