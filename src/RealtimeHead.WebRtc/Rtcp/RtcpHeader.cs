using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// The common 4-byte RTCP header (RFC 3550 §6.4.1): version 2, padding bit, a 5-bit count (report count,
/// source count or feedback format), the packet type and the length in 32-bit words minus one.
/// </summary>
internal readonly record struct RtcpHeader(bool Padding, byte Count, byte PacketType, int PacketLength)
{
    public const int Length = 4;

    /// <summary>Reads a header and checks that the whole packet it announces fits in <paramref name="data"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpHeader header)
    {
        header = default;
        if (data.Length < Length || data[0] >> 6 != 2)
        {
            return false;
        }

        var packetLength = (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1) * 4;
        if (packetLength > data.Length)
        {
            return false;
        }

        header = new RtcpHeader((data[0] & 0x20) != 0, (byte)(data[0] & 0x1F), data[1], packetLength);
        return true;
    }

    /// <summary>Writes a header for a packet of <paramref name="packetLength"/> bytes (a multiple of 4).</summary>
    public static void Write(Span<byte> destination, int count, byte packetType, int packetLength)
    {
        if (count is < 0 or > 31)
        {
            throw new ArgumentException($"RTCP count/format is 5 bits; got {count}.");
        }

        if (packetLength % 4 != 0 || packetLength < Length || packetLength / 4 > ushort.MaxValue + 1)
        {
            throw new ArgumentException($"RTCP packet length {packetLength} is not a positive multiple of 4 below 256 KiB.");
        }

        if (destination.Length < packetLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the packet needs {packetLength}.", nameof(destination));
        }

        destination[0] = (byte)(0x80 | count);
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((packetLength / 4) - 1));
    }
}
