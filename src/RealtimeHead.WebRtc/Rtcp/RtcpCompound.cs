namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// A datagram of RTCP packets (RFC 3550 §6.1). Parsing accepts reduced-size RTCP (RFC 5506 §3: any packet
/// may come first, a single feedback packet is valid), so it does not insist on SR/RR first.
/// </summary>
internal static class RtcpCompound
{
    /// <summary>
    /// Parses every packet of a datagram. Returns false when a packet is malformed; <paramref name="packets"/>
    /// then holds the packets before it, which the caller may still use.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out List<RtcpPacket> packets)
    {
        packets = [];
        if (datagram.IsEmpty)
        {
            return false;
        }

        var offset = 0;
        while (offset < datagram.Length)
        {
            if (!RtcpPacket.TryParse(datagram[offset..], out var packet, out var consumed))
            {
                return false;
            }

            packets.Add(packet);
            offset += consumed;
        }

        return true;
    }

    public static int GetSerializedLength(IEnumerable<RtcpPacket> packets) => packets.Sum(packet => packet.GetSerializedLength());

    /// <summary>Writes the packets back to back; returns the bytes written.</summary>
    public static int WriteTo(IEnumerable<RtcpPacket> packets, Span<byte> destination)
    {
        var offset = 0;
        foreach (var packet in packets)
        {
            offset += packet.WriteTo(destination[offset..]);
        }

        return offset;
    }

    public static byte[] Serialize(IReadOnlyCollection<RtcpPacket> packets)
    {
        var buffer = new byte[GetSerializedLength(packets)];
        WriteTo(packets, buffer);
        return buffer;
    }
}
