namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// Stamps outbound payloads of one stream with its SSRC, payload type and consecutive sequence numbers
/// (RFC 3550 §5.1: the first sequence number should be random). Not thread-safe: one per stream.
/// </summary>
internal sealed class RtpPacketSequencer
{
    private ushort _next;

    public RtpPacketSequencer(uint ssrc, byte payloadType, ushort initialSequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        Ssrc = ssrc;
        PayloadType = payloadType;
        _next = initialSequenceNumber;
    }

    public uint Ssrc { get; }

    public byte PayloadType { get; }

    /// <summary>Sequence number the next packet gets.</summary>
    public ushort NextSequenceNumber => _next;

    public RtpPacket Next(ReadOnlyMemory<byte> payload, uint timestamp, bool marker) => new()
    {
        Ssrc = Ssrc,
        PayloadType = PayloadType,
        SequenceNumber = _next++,
        Timestamp = timestamp,
        Marker = marker,
        Payload = payload,
    };
}
