using System.Buffers.Binary;
using System.Text;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>SDES item types (RFC 3550 §6.5).</summary>
internal static class SdesItemType
{
    public const byte End = 0;

    /// <summary>Canonical name: binds a participant's SSRCs together for lip-sync (RFC 3550 §6.5.1).</summary>
    public const byte Cname = 1;
}

/// <summary>One SDES item: type and UTF-8 text of at most 255 bytes.</summary>
internal readonly record struct SdesItem(byte Type, string Text);

/// <summary>The items of one source.</summary>
internal sealed record SdesChunk(uint Ssrc, IReadOnlyList<SdesItem> Items)
{
    /// <summary>RFC 3550 §6.5: items, then one to four null octets ending the list on a 32-bit boundary.</summary>
    internal int SerializedLength
    {
        get
        {
            var items = 0;
            foreach (var item in Items)
            {
                items += 2 + Encoding.UTF8.GetByteCount(item.Text);
            }

            return 4 + ((items + 4) & ~3);
        }
    }
}

/// <summary>Source description (RFC 3550 §6.5, PT 202); WebRTC sends the CNAME in every compound packet.</summary>
internal sealed class SourceDescription : RtcpPacket
{
    public IReadOnlyList<SdesChunk> Chunks { get; init; } = [];

    /// <summary>A packet with one chunk holding a CNAME.</summary>
    public static SourceDescription ForCname(uint ssrc, string cname) =>
        new() { Chunks = [new SdesChunk(ssrc, [new SdesItem(SdesItemType.Cname, cname)])] };

    internal static bool TryParse(RtcpHeader header, ReadOnlySpan<byte> body, out SourceDescription packet)
    {
        packet = null!;
        var chunks = new List<SdesChunk>(header.Count);
        var offset = 0;
        for (var c = 0; c < header.Count; c++)
        {
            if (body.Length < offset + 4)
            {
                return false;
            }

            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
            offset += 4;
            var items = new List<SdesItem>();
            while (true)
            {
                if (offset >= body.Length)
                {
                    return false; // No END item.
                }

                var type = body[offset];
                if (type == SdesItemType.End)
                {
                    offset = (offset + 4) & ~3; // Skip the null octets up to the next 32-bit boundary.
                    break;
                }

                if (offset + 2 > body.Length || offset + 2 + body[offset + 1] > body.Length)
                {
                    return false;
                }

                var length = body[offset + 1];
                items.Add(new SdesItem(type, Encoding.UTF8.GetString(body.Slice(offset + 2, length))));
                offset += 2 + length;
            }

            chunks.Add(new SdesChunk(ssrc, items));
        }

        packet = new SourceDescription { Chunks = chunks };
        return true;
    }

    public override int GetSerializedLength()
    {
        var length = RtcpHeader.Length;
        foreach (var chunk in Chunks)
        {
            length += chunk.SerializedLength;
        }

        return length;
    }

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, Chunks.Count, RtcpPacketType.SourceDescription, length);
        destination[RtcpHeader.Length..length].Clear();
        var offset = RtcpHeader.Length;
        foreach (var chunk in Chunks)
        {
            var start = offset;
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], chunk.Ssrc);
            offset += 4;
            foreach (var item in chunk.Items)
            {
                var text = Encoding.UTF8.GetBytes(item.Text);
                if (item.Type == SdesItemType.End || text.Length > 255)
                {
                    throw new ArgumentException("SDES items have a non-zero type and at most 255 bytes of text (RFC 3550 §6.5).");
                }

                destination[offset] = item.Type;
                destination[offset + 1] = (byte)text.Length;
                text.CopyTo(destination[(offset + 2)..]);
                offset += 2 + text.Length;
            }

            offset = start + chunk.SerializedLength;
        }

        return length;
    }
}
