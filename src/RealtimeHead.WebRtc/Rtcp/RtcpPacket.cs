namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// One RTCP packet. Each type lives in its own file with its parser; <see cref="TryParse"/> dispatches on
/// the packet type and feedback format. Parsing never throws: malformed input returns false.
/// </summary>
internal abstract class RtcpPacket
{
    /// <summary>Bytes <see cref="WriteTo"/> writes (a multiple of 4).</summary>
    public abstract int GetSerializedLength();

    /// <summary>Writes the packet; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small or a field is out of range.</exception>
    public abstract int WriteTo(Span<byte> destination);

    public byte[] ToArray()
    {
        var buffer = new byte[GetSerializedLength()];
        WriteTo(buffer);
        return buffer;
    }

    /// <summary>
    /// Parses exactly one RTCP packet (the length in its header must fit <paramref name="data"/>; bytes past
    /// that length are ignored). Types this stack does not use come back as <see cref="UnknownRtcpPacket"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RtcpPacket packet, out int consumed)
    {
        packet = null!;
        consumed = 0;
        if (!RtcpHeader.TryRead(data, out var header))
        {
            return false;
        }

        var body = data[RtcpHeader.Length..header.PacketLength];
        if (header.Padding)
        {
            // RFC 3550 §6.4.1: the last octet counts the padding, itself included.
            if (body.IsEmpty || body[^1] == 0 || body[^1] > body.Length)
            {
                return false;
            }

            body = body[..^body[^1]];
        }

        RtcpPacket? result = (header.PacketType, header.Count) switch
        {
            (RtcpPacketType.SenderReport, _) => SenderReport.TryParse(header, body, out var p) ? p : null,
            (RtcpPacketType.ReceiverReport, _) => ReceiverReport.TryParse(header, body, out var p) ? p : null,
            (RtcpPacketType.SourceDescription, _) => SourceDescription.TryParse(header, body, out var p) ? p : null,
            (RtcpPacketType.Goodbye, _) => Goodbye.TryParse(header, body, out var p) ? p : null,
            (RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.GenericNack) => GenericNack.TryParse(body, out var p) ? p : null,
            (RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.TransportWideCc) => TransportWideCc.TryParse(body, out var p) ? p : null,
            (RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.PictureLossIndication) => PictureLossIndication.TryParse(body, out var p) ? p : null,
            (RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.FullIntraRequest) => FullIntraRequest.TryParse(body, out var p) ? p : null,
            (RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.ApplicationLayer) when Remb.IsRemb(body) => Remb.TryParse(body, out var p) ? p : null,
            _ => new UnknownRtcpPacket(header.PacketType, header.Count, body.ToArray()),
        };

        if (result is null)
        {
            return false;
        }

        packet = result;
        consumed = header.PacketLength;
        return true;
    }

    private protected static int Pad4(int length) => (length + 3) & ~3;
}
