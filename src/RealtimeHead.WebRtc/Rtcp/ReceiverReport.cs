using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Receiver report (RFC 3550 §6.4.2, PT 201): reception statistics from a participant that does not send.</summary>
internal sealed class ReceiverReport : RtcpPacket
{
    public uint Ssrc { get; init; }

    public IReadOnlyList<ReceptionReport> Reports { get; init; } = [];

    /// <summary>Profile-specific extension after the report blocks, kept verbatim.</summary>
    public byte[] ProfileExtension { get; init; } = [];

    internal static bool TryParse(RtcpHeader header, ReadOnlySpan<byte> body, out ReceiverReport packet)
    {
        packet = null!;
        if (body.Length < 4 || !ReceptionReport.TryReadBlocks(body[4..], header.Count, out var reports))
        {
            return false;
        }

        packet = new ReceiverReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            Reports = reports,
            ProfileExtension = body[(4 + (reports.Length * ReceptionReport.Length))..].ToArray(),
        };
        return true;
    }

    public override int GetSerializedLength() =>
        RtcpHeader.Length + 4 + (Reports.Count * ReceptionReport.Length) + Pad4(ProfileExtension.Length);

    public override int WriteTo(Span<byte> destination)
    {
        var length = GetSerializedLength();
        RtcpHeader.Write(destination, Reports.Count, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        var offset = 8;
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
