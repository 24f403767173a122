using System.Buffers.Binary;
using System.Text;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Goodbye (RFC 3550 §6.6, PT 203): the listed sources are leaving, with an optional reason.</summary>
internal sealed class Goodbye : RtcpPacket
{
    public IReadOnlyList<uint> Sources { get; init; } = [];

    /// <summary>Reason for leaving (UTF-8, at most 255 bytes); empty for none.</summary>
    public string Reason { get; init; } = "";

    internal static bool TryParse(RtcpHeader header, ReadOnlySpan<byte> body, out Goodbye packet)
    {
        packet = null!;
        var sourcesLength = header.Count * 4;
        if (body.Length < sourcesLength)
        {
            return false;
        }

        var sources = new uint[header.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = BinaryPrimitives.ReadUInt32BigEndian(body[(i * 4)..]);
        }

        var reason = "";
        var rest = body[sourcesLength..];
        if (!rest.IsEmpty && rest[0] > 0)
        {
            if (rest.Length < 1 + rest[0])
            {
                return false;
            }

            reason = Encoding.UTF8.GetString(rest.Slice(1, rest[0]));
        }

        packet = new Goodbye { Sources = sources, Reason = reason };
        return true;
    }

    private int ReasonLength => Reason.Length == 0 ? 0 : 1 + Encoding.UTF8.GetByteCount(Reason);

    public override int GetSerializedLength() => RtcpHeader.Length + (Sources.Count * 4) + Pad4(ReasonLength);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, Sources.Count, RtcpPacketType.Goodbye, length);
        destination[RtcpHeader.Length..length].Clear();
        var offset = RtcpHeader.Length;
        foreach (var source in Sources)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], source);
            offset += 4;
        }

        if (Reason.Length > 0)
        {
            var text = Encoding.UTF8.GetBytes(Reason);
            if (text.Length > 255)
            {
                throw new ArgumentException("A BYE reason has at most 255 bytes (RFC 3550 §6.6).");
            }

            destination[offset] = (byte)text.Length;
            text.CopyTo(destination[(offset + 1)..]);
        }

        return length;
    }
}
