using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>What a completed DTLS-SRTP handshake hands to the media path.</summary>
/// <param name="Keys">SRTP master keys: local protects outbound, remote unprotects inbound (RFC 5764 §4.2).</param>
/// <param name="RemoteFingerprint">The verified client certificate fingerprint, in the algorithm the SDP used.</param>
/// <param name="SrtpProtectionProfile">Negotiated DTLS-SRTP profile id (always <see cref="SrtpProfile.DtlsProfileId"/>).</param>
internal sealed record DtlsHandshakeResult(SrtpKeyingMaterial Keys, DtlsFingerprint RemoteFingerprint, int SrtpProtectionProfile);

/// <summary>How a DTLS association ended.</summary>
internal enum DtlsCloseReason
{
    /// <summary>The handshake never completed.</summary>
    HandshakeFailed,

    /// <summary>The peer sent close_notify (RFC 5246 §7.2.1): it closed the PeerConnection.</summary>
    PeerClosed,

    /// <summary>The peer sent a fatal alert after the handshake.</summary>
    PeerAlert,

    /// <summary>This side closed it (<see cref="DtlsServer.DisposeAsync"/>).</summary>
    LocalClose,

    /// <summary>The record layer failed after the handshake (e.g. a record that failed to decrypt).</summary>
    Failed,
}
