using System.Buffers.Binary;
using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// One NACK FCI entry (RFC 4585 §6.2.1): packet id PID is lost, and bit i of BLP means PID + i + 1 is lost too.
/// </summary>
internal readonly record struct NackPair(ushort PacketId, ushort LostBitmask)
{
    public IEnumerable<ushort> LostPackets()
    {
        yield return PacketId;
        for (var i = 0; i < 16; i++)
        {
            if ((LostBitmask & (1 << i)) != 0)
            {
                yield return (ushort)(PacketId + i + 1);
            }
        }
    }
}

/// <summary>Generic NACK (RFC 4585 §6.2.1, PT 205 FMT 1): asks the media sender to retransmit lost packets.</summary>
internal sealed class GenericNack : RtcpPacket
{
    public uint SenderSsrc { get; init; }

    /// <summary>The stream whose packets were lost.</summary>
    public uint MediaSsrc { get; init; }

    public IReadOnlyList<NackPair> Pairs { get; init; } = [];

    /// <summary>Every sequence number the packet asks for, in the order of its entries.</summary>
    public IEnumerable<ushort> LostPackets() => Pairs.SelectMany(pair => pair.LostPackets());

    /// <summary>Packs sequence numbers into as few PID/BLP entries as possible.</summary>
    public static GenericNack FromSequenceNumbers(uint senderSsrc, uint mediaSsrc, IEnumerable<ushort> lost)
    {
        var sorted = lost.Distinct().ToList();
        if (sorted.Count > 0)
        {
            // Order modulo 2^16 relative to the first value so a run across the wrap stays together.
            var reference = sorted.Aggregate((a, b) => RtpSequence.IsNewer(a, b) ? b : a);
            sorted.Sort((a, b) => ((ushort)(a - reference)).CompareTo((ushort)(b - reference)));
        }

        var pairs = new List<NackPair>();
        var i = 0;
        while (i < sorted.Count)
        {
            var pid = sorted[i++];
            ushort mask = 0;
            while (i < sorted.Count)
            {
                var offset = (ushort)(sorted[i] - pid);
                if (offset is < 1 or > 16)
                {
                    break;
                }

                mask |= (ushort)(1 << (offset - 1));
                i++;
            }

            pairs.Add(new NackPair(pid, mask));
        }

        return new GenericNack { SenderSsrc = senderSsrc, MediaSsrc = mediaSsrc, Pairs = pairs };
    }

    internal static bool TryParse(ReadOnlySpan<byte> body, out GenericNack packet)
    {
        packet = null!;
        if (body.Length < 8)
        {
            return false;
        }

        var pairs = new NackPair[(body.Length - 8) / 4];
        for (var i = 0; i < pairs.Length; i++)
        {
            var entry = body[(8 + (i * 4))..];
            pairs[i] = new NackPair(BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt16BigEndian(entry[2..]));
        }

        packet = new GenericNack
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            Pairs = pairs,
        };
        return true;
    }

    public override int GetSerializedLength() => RtcpHeader.Length + 8 + (Pairs.Count * 4);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, RtcpFeedbackFormat.GenericNack, RtcpPacketType.TransportFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], MediaSsrc);
        var offset = 12;
        foreach (var pair in Pairs)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pair.PacketId);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], pair.LostBitmask);
            offset += 4;
        }

        return length;
    }
}
