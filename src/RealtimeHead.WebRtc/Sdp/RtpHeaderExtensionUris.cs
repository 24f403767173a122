namespace RealtimeHead.WebRtc.Sdp;

/// <summary>RTP header extension URIs this stack negotiates (RFC 8285 registrations and WebRTC experiments).</summary>
internal static class RtpHeaderExtensionUris
{
    /// <summary>RFC 9143 §15.2: carries the mid so BUNDLE can demultiplex without a=ssrc.</summary>
    public const string SdesMid = "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>RFC 6464 client-to-mixer audio level.</summary>
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    /// <summary>Send time for receive-side bandwidth estimation (goog-remb).</summary>
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>Transport-wide sequence numbers for transport-cc feedback.</summary>
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
}
