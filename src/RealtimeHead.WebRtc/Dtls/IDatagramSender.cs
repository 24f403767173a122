namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// "Datagram out" of a DTLS association: the peer session sends each DTLS datagram to the remote
/// ICE candidate pair. The matching "datagram in" is <see cref="DtlsServer.TryDeliver"/>, which the
/// session calls for UDP payloads whose first byte is 20..63 (RFC 7983 §7).
/// </summary>
internal interface IDatagramSender
{
    /// <summary>Sends one datagram. Called from the DTLS thread; must not block for long.</summary>
    void Send(ReadOnlySpan<byte> datagram);
}
