namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>An RTCP packet of a type this stack does not interpret (APP, XR, other feedback), kept verbatim.</summary>
internal sealed class UnknownRtcpPacket(byte packetType, byte count, byte[] body) : RtcpPacket
{
    public byte PacketType { get; } = packetType;

    /// <summary>The 5-bit count or format field.</summary>
    public byte Count { get; } = count;

    /// <summary>Bytes after the common header, padding removed.</summary>
    public byte[] Body { get; } = body;

    public override int GetSerializedLength() => RtcpHeader.Length + Pad4(Body.Length);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, Count, PacketType, length);
        Body.CopyTo(destination[RtcpHeader.Length..]);
        destination[(RtcpHeader.Length + Body.Length)..length].Clear();
        return length;
    }
}
