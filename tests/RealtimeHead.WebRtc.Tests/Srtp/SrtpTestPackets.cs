using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Tests.Srtp;

/// <summary>Small deterministic RTP/RTCP packets for the SRTP tests.</summary>
internal static class SrtpTestPackets
{
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>An RTP packet with optional CSRCs and a one-byte-header extension (RFC 8285).</summary>
    public static byte[] MakeRtp(ushort sequence, uint ssrc, int payloadLength, Random random, int csrcCount = 0, int extensionWords = 0)
    {
        int headerLength = 12 + (4 * csrcCount) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);
        var packet = new byte[headerLength + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)sequence * 3000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        int offset = 12;
        for (int i = 0; i < csrcCount; i++, offset += 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), 0x1000u + (uint)i);
        }

        if (extensionWords > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)extensionWords);
            random.NextBytes(packet.AsSpan(offset + 4, 4 * extensionWords));
        }

        random.NextBytes(packet.AsSpan(headerLength));
        return packet;
    }

    /// <summary>A receiver report (RFC 3550 §6.4.2) with one report block, followed by random padding words.</summary>
    public static byte[] MakeRtcp(uint ssrc, int extraWords, Random random)
    {
        var packet = new byte[32 + (4 * extraWords)];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        random.NextBytes(packet.AsSpan(8));
        return packet;
    }

    /// <summary>Copies a packet into a buffer with <paramref name="spare"/> bytes of room behind it.</summary>
    public static byte[] WithRoom(byte[] packet, int spare = 160)
    {
        var buffer = new byte[packet.Length + spare];
        packet.CopyTo(buffer, 0);
        return buffer;
    }
}
