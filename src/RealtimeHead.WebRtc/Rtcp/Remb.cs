using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2, PT 206 FMT 15 with "REMB"):
/// the receiver's estimate of the total bitrate the listed streams may use, as mantissa × 2^exponent.
/// </summary>
internal sealed class Remb : RtcpPacket
{
    private const uint Identifier = 0x52454D42; // "REMB"
    private const int MantissaBits = 18;

    public uint SenderSsrc { get; init; }

    /// <summary>Bits per second (saturates at <see cref="ulong.MaxValue"/> on absurd exponents).</summary>
    public ulong Bitrate { get; init; }

    /// <summary>Streams the estimate applies to.</summary>
    public IReadOnlyList<uint> Ssrcs { get; init; } = [];

    /// <summary>True when an application-layer feedback body carries the "REMB" identifier.</summary>
    internal static bool IsRemb(ReadOnlySpan<byte> body) => body.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(body[8..]) == Identifier;

    internal static bool TryParse(ReadOnlySpan<byte> body, out Remb packet)
    {
        packet = null!;
        if (body.Length < 16 || BinaryPrimitives.ReadUInt32BigEndian(body[8..]) != Identifier)
        {
            return false;
        }

        var count = body[12];
        if (body.Length < 16 + (count * 4))
        {
            return false;
        }

        var exponent = body[13] >> 2;
        var mantissa = ((ulong)(body[13] & 0x03) << 16) | ((ulong)body[14] << 8) | body[15];
        var bitrate = exponent >= 64 - MantissaBits && (mantissa >> (64 - exponent)) != 0 ? ulong.MaxValue : mantissa << exponent;
        var ssrcs = new uint[count];
        for (var i = 0; i < count; i++)
        {
            ssrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(body[(16 + (i * 4))..]);
        }

        packet = new Remb { SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body), Bitrate = bitrate, Ssrcs = ssrcs };
        return true;
    }

    public override int GetSerializedLength() => RtcpHeader.Length + 16 + (Ssrcs.Count * 4);

    public override int WriteTo(Span<byte> destination)
    {
        if (Ssrcs.Count > 255)
        {
            throw new ArgumentException("REMB lists at most 255 SSRCs.");
        }

        var length = GetSerializedLength();
        RtcpHeader.Write(destination, RtcpFeedbackFormat.ApplicationLayer, RtcpPacketType.PayloadFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], 0); // Media SSRC is 0 (§2.2).
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Identifier);
        destination[16] = (byte)Ssrcs.Count;

        // Smallest exponent whose mantissa fits 18 bits; low bits are truncated, never rounded up.
        var mantissa = Bitrate;
        var exponent = 0;
        while (mantissa >= 1UL << MantissaBits)
        {
            mantissa >>= 1;
            exponent++;
        }

        destination[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        destination[18] = (byte)(mantissa >> 8);
        destination[19] = (byte)mantissa;
        var offset = 20;
        foreach (var ssrc in Ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], ssrc);
            offset += 4;
        }

        return length;
    }
}
