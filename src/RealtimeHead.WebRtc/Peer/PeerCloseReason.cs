namespace RealtimeHead.WebRtc.Peer;

/// <summary>Why a <see cref="PeerSession"/> closed; <see cref="PeerSession.CloseReason"/> holds it once <see cref="PeerSession.Completion"/> completed.</summary>
public enum PeerCloseReason
{
    /// <summary>The application disposed the session.</summary>
    Disposed,

    /// <summary>The endpoint that owns the session was disposed.</summary>
    EndpointStopped,

    /// <summary>No valid ICE consent check within the consent timeout (RFC 7675 §5.1): the browser left or the path broke.</summary>
    ConsentLost,

    /// <summary>The browser closed the DTLS association (close_notify or a fatal alert): it closed the RTCPeerConnection.</summary>
    RemoteClosed,

    /// <summary>ICE and DTLS did not complete within <see cref="WebRtcEndpointOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>The browser's DTLS certificate does not match the offer's a=fingerprint (RFC 8122 §5).</summary>
    FingerprintMismatch,

    /// <summary>The DTLS handshake or record layer failed for another reason (see the session's log).</summary>
    DtlsFailed,
}
