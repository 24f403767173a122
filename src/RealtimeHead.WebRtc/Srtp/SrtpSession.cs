namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// Both directions of one DTLS-SRTP association: <see cref="Outbound"/> protects with the local
/// master key, <see cref="Inbound"/> unprotects with the remote one (RFC 5764 §4.2).
/// </summary>
internal sealed class SrtpSession : IDisposable
{
    public SrtpSession(SrtpKeyingMaterial keys, SrtpContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Outbound = new SrtpContext(keys.Local, options);
        Inbound = new SrtpContext(keys.Remote, options);
    }

    /// <summary>Protects what this endpoint sends; its counters count sent packets.</summary>
    public SrtpContext Outbound { get; }

    /// <summary>Unprotects what the peer sends; its counters count received and dropped packets.</summary>
    public SrtpContext Inbound { get; }

    /// <inheritdoc cref="SrtpContext.ProtectRtp"/>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength) => Outbound.ProtectRtp(buffer, length, out protectedLength);

    /// <inheritdoc cref="SrtpContext.ProtectRtcp"/>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength) => Outbound.ProtectRtcp(buffer, length, out protectedLength);

    /// <inheritdoc cref="SrtpContext.UnprotectRtp"/>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int plainLength) => Inbound.UnprotectRtp(packet, out plainLength);

    /// <inheritdoc cref="SrtpContext.UnprotectRtcp"/>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int plainLength) => Inbound.UnprotectRtcp(packet, out plainLength);

    public void Dispose()
    {
        Outbound.Dispose();
        Inbound.Dispose();
    }
}
