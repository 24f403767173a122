namespace RealtimeHead.WebRtc.Dtls;

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
