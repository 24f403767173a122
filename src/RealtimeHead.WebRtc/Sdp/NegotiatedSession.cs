using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>RTCP feedback both sides agreed on for one media section (RFC 4585, RFC 5104, goog-remb, transport-cc).</summary>
internal sealed record NegotiatedFeedback(bool Nack, bool Pli, bool Fir, bool Remb, bool TransportCc);

/// <summary>
/// One accepted media section: the codec the offer's payload type maps to, our direction, the remote
/// SSRCs it announced (with their groups, e.g. RTX <c>FID</c>), and the header extension ids (uri → id) we answered.
/// </summary>
internal sealed record NegotiatedMedia(
    string Mid,
    string Kind,
    byte PayloadType,
    string Codec,
    int ClockRate,
    int Channels,
    SdpMediaDirection Direction,
    uint LocalSsrc,
    IReadOnlyList<uint> RemoteSsrcs,
    IReadOnlyList<SdpSsrcGroup> RemoteSsrcGroups,
    IReadOnlyDictionary<string, int> HeaderExtensions,
    NegotiatedFeedback Feedback,
    bool ReducedSizeRtcp)
{
    public bool WeSend => Direction.Sends();

    public bool WeReceive => Direction.Receives();

    /// <summary>The negotiated id of a header extension, or null if it was not answered.</summary>
    public int? GetExtensionId(string uri) => HeaderExtensions.TryGetValue(uri, out int id) ? id : null;
}

/// <summary>Everything the session needs from the offer/answer exchange to run ICE, DTLS, SRTP and RTP.</summary>
internal sealed record NegotiatedSession(
    string RemoteIceUfrag,
    string RemoteIcePassword,
    SdpFingerprint RemoteFingerprint,
    IReadOnlyList<string> BundleMids,
    NegotiatedMedia Audio,
    NegotiatedMedia Video,
    IReadOnlyList<IceCandidate> RemoteCandidates)
{
    /// <summary>We answered <c>a=setup:passive</c>: the browser is the DTLS client, we are the server (RFC 8842 §5.1).</summary>
    public bool IsDtlsServer => true;
}
