using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>One FIR FCI entry (RFC 5104 §4.3.1.1): the target SSRC and a command sequence number.</summary>
internal readonly record struct FirEntry(uint Ssrc, byte SequenceNumber);

/// <summary>
/// Full intra request (RFC 5104 §4.3.1, PT 206 FMT 4). A repeated request keeps its sequence number,
/// so the sender answers each number once (§4.3.1.2).
/// </summary>
internal sealed class FullIntraRequest : RtcpPacket
{
    public uint SenderSsrc { get; init; }

    /// <summary>RFC 5104 §4.3.1.2: unused, 0.</summary>
    public uint MediaSsrc { get; init; }

    public IReadOnlyList<FirEntry> Entries { get; init; } = [];

    internal static bool TryParse(ReadOnlySpan<byte> body, out FullIntraRequest packet)
    {
        packet = null!;
        if (body.Length < 8)
        {
            return false;
        }

        var entries = new FirEntry[(body.Length - 8) / 8];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = body[(8 + (i * 8))..];
            entries[i] = new FirEntry(BinaryPrimitives.ReadUInt32BigEndian(entry), entry[4]);
        }

        packet = new FullIntraRequest
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            Entries = entries,
        };
        return true;
    }

    public override int GetSerializedLength() => RtcpHeader.Length + 8 + (Entries.Count * 8);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, RtcpFeedbackFormat.FullIntraRequest, RtcpPacketType.PayloadFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], MediaSsrc);
        var offset = 12;
        foreach (var entry in Entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], entry.Ssrc);
            destination[offset + 4] = entry.SequenceNumber;
            destination.Slice(offset + 5, 3).Clear();
            offset += 8;
        }

        return length;
    }
}
