using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// Sender report (RFC 3550 §6.4.1, PT 200): pairs an NTP wall-clock time with the RTP timestamp of the same
/// instant, which lets the receiver synchronise streams, plus the sender's packet and octet counts.
/// </summary>
internal sealed class SenderReport : RtcpPacket
{
    private const int SenderInfoLength = 20; // NTP (8), RTP timestamp, packet count, octet count.

    public uint Ssrc { get; init; }

    public NtpTime NtpTimestamp { get; init; }

    public uint RtpTimestamp { get; init; }

    public uint PacketCount { get; init; }

    public uint OctetCount { get; init; }

    public IReadOnlyList<ReceptionReport> Reports { get; init; } = [];

    /// <summary>Profile-specific extension after the report blocks (RFC 3550 §6.4.1), kept verbatim.</summary>
    public byte[] ProfileExtension { get; init; } = [];

    internal static bool TryParse(RtcpHeader header, ReadOnlySpan<byte> body, out SenderReport packet)
    {
        packet = null!;
        if (body.Length < 4 + SenderInfoLength
            || !ReceptionReport.TryReadBlocks(body[(4 + SenderInfoLength)..], header.Count, out var reports))
        {
            return false;
        }

        packet = new SenderReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            NtpTimestamp = new NtpTime(BinaryPrimitives.ReadUInt64BigEndian(body[4..])),
            RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[12..]),
            PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[16..]),
            OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[20..]),
            Reports = reports,
            ProfileExtension = body[(4 + SenderInfoLength + (reports.Length * ReceptionReport.Length))..].ToArray(),
        };
        return true;
    }

    public override int GetSerializedLength() =>
        RtcpHeader.Length + 4 + SenderInfoLength + (Reports.Count * ReceptionReport.Length) + Pad4(ProfileExtension.Length);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, Reports.Count, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTimestamp.Value);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], OctetCount);
        var offset = 28;
        foreach (var report in Reports)
        {
            report.Write(destination[offset..]);
            offset += ReceptionReport.Length;
        }

        ProfileExtension.CopyTo(destination[offset..]);
        destination[(offset + ProfileExtension.Length)..length].Clear();
        return length;
    }
}
