namespace RealtimeHead.WebRtc.Sdp;

/// <summary>Why an offer cannot be served; <see cref="SdpNegotiationResult.Message"/> says what is missing.</summary>
internal enum SdpRejectionReason
{
    None = 0,

    /// <summary>The text is not SDP.</summary>
    Malformed,

    /// <summary>No audio m-section (UDP/TLS/RTP/SAVPF) offering opus/48000/2.</summary>
    NoOpus,

    /// <summary>No video m-section (UDP/TLS/RTP/SAVPF) offering VP8/90000.</summary>
    NoVp8,

    /// <summary>The VP8 section does not let the browser receive (sendonly or inactive).</summary>
    VideoNotReceivable,

    /// <summary>No a=fingerprint with a hash function we can verify.</summary>
    NoFingerprint,

    /// <summary>An accepted section lacks a=rtcp-mux (Chromium requires it, RFC 8843/9143 needs it for BUNDLE).</summary>
    NoRtcpMux,

    /// <summary>No (or invalid) a=ice-ufrag / a=ice-pwd.</summary>
    NoIceCredentials,

    /// <summary>The audio and video sections are not in one BUNDLE group with mids (RFC 9143).</summary>
    NoBundle,

    /// <summary>The offer says a=setup:passive, but we only take the DTLS server role.</summary>
    DtlsRoleConflict,
}

/// <summary>Thrown by <see cref="SdpNegotiationResult.EnsureAccepted"/> for callers that prefer exceptions.</summary>
internal sealed class SdpOfferRejectedException(SdpRejectionReason reason, string message) : Exception(message)
{
    public SdpRejectionReason Reason { get; } = reason;
}
