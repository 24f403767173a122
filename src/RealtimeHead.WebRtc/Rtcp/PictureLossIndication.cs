using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Picture loss indication (RFC 4585 §6.3.1, PT 206 FMT 1): the receiver needs a keyframe. No FCI.</summary>
internal sealed class PictureLossIndication : RtcpPacket
{
    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    internal static bool TryParse(ReadOnlySpan<byte> body, out PictureLossIndication packet)
    {
        packet = null!;
        if (body.Length < 8)
        {
            return false;
        }

        packet = new PictureLossIndication
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
        };
        return true;
    }

    public override int GetSerializedLength() => RtcpHeader.Length + 8;

    public override int WriteTo(Span<byte> destination)
    {
        RtcpHeader.Write(destination, RtcpFeedbackFormat.PictureLossIndication, RtcpPacketType.PayloadFeedback, 12);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], MediaSsrc);
        return 12;
    }
}
