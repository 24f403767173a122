namespace RealtimeHead.Server.Signalling;

/// <summary>A trickled ICE candidate, as <c>RTCIceCandidate.toJSON()</c> gives it (an empty candidate ends gathering).</summary>
public sealed record IceCandidateMessage(string? Candidate, string? SdpMid, int? SdpMLineIndex);
