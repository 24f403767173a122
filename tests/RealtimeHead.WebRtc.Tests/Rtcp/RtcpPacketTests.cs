using RealtimeHead.WebRtc.Rtcp;
using static RealtimeHead.WebRtc.Tests.Rtp.TestBytes;

namespace RealtimeHead.WebRtc.Tests.Rtcp;

/// <summary>Byte vectors written from the RFC layouts; each parses to known values and serializes back.</summary>
public sealed class RtcpPacketTests
{
    // RFC 3550 §6.4.1: RC=1, length 12; sender info; one block with cumulative loss -2.
    internal static readonly byte[] SenderReportBytes = Hex(
        "81C8000C 902F9E2E DA8BD1FC DDDDA05A AAF4EDD5 00000001 00000094" +
        "01020304 10FFFFFE 00010010 00000020 12345678 00010000");

    // RFC 3550 §6.4.2.
    internal static readonly byte[] ReceiverReportBytes = Hex(
        "81C90007 CAFEBABE 01020304 FF00000A 0001FFFF 00000100 00000000 00000000");

    // RFC 3550 §6.5: one chunk, CNAME "user@example" (12 bytes), two null octets to the 32-bit boundary.
    internal static readonly byte[] SdesBytes = Hex("81CA0005 11223344 010C 75736572 40657861 6D706C65 0000");

    // RFC 3550 §6.6: one SSRC, reason "bye".
    internal static readonly byte[] GoodbyeBytes = Hex("81CB0002 11223344 03627965");

    // RFC 4585 §6.2.1: PID 100, BLP 0b101 (lost 101 and 103).
    internal static readonly byte[] NackBytes = Hex("81CD0003 00000001 00000002 00640005");

    // RFC 4585 §6.3.1.
    internal static readonly byte[] PliBytes = Hex("81CE0002 00000001 00000002");

    // RFC 5104 §4.3.1: FMT 4, media SSRC 0, FCI SSRC 2 with sequence number 7.
    internal static readonly byte[] FirBytes = Hex("84CE0004 00000001 00000000 00000002 07000000");

    // draft-alvestrand-rmcat-remb §2.2: 1 SSRC, exponent 2, mantissa 250000 = 1 Mbit/s.
    internal static readonly byte[] RembBytes = Hex("8FCE0005 00000001 00000000 52454D42 010BD090 00000002");

    // draft-holmer-rmcat-transport-wide-cc-extensions §3.1 with P bit: base 5, 7 statuses, reference 16,
    // feedback count 3; run-length chunk (3 × small delta), one-bit vector (0 1 1 0); six delta bytes; 2 padding bytes.
    internal static readonly byte[] TwccBytes = Hex("AFCD0007 00000001 00000002 0005 0007 000010 03 2003 9800 04080C00FF01 0002");

    internal static IEnumerable<byte[]> AllVectors =>
        [SenderReportBytes, ReceiverReportBytes, SdesBytes, GoodbyeBytes, NackBytes, PliBytes, FirBytes, RembBytes, TwccBytes];

    private static T Parse<T>(byte[] bytes)
        where T : RtcpPacket
    {
        Assert.True(RtcpPacket.TryParse(bytes, out var packet, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return Assert.IsType<T>(packet);
    }

    [Fact]
    public void SenderReport_Vector_ParsesAndRoundTrips()
    {
        var sr = Parse<SenderReport>(SenderReportBytes);
        Assert.Equal(0x902F9E2Eu, sr.Ssrc);
        Assert.Equal(0xDA8BD1FC_DDDDA05AUL, sr.NtpTimestamp.Value);
        Assert.Equal(0xAAF4EDD5u, sr.RtpTimestamp);
        Assert.Equal(1u, sr.PacketCount);
        Assert.Equal(0x94u, sr.OctetCount);
        var block = Assert.Single(sr.Reports);
        Assert.Equal(new ReceptionReport(0x01020304, 0x10, -2, 0x00010010, 0x20, 0x12345678, 0x00010000), block);
        Assert.Equal(SenderReportBytes, sr.ToArray());
    }

    [Fact]
    public void ReceiverReport_Vector_ParsesAndRoundTrips()
    {
        var rr = Parse<ReceiverReport>(ReceiverReportBytes);
        Assert.Equal(0xCAFEBABEu, rr.Ssrc);
        var block = Assert.Single(rr.Reports);
        Assert.Equal(255, block.FractionLost);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal(0x0001FFFFu, block.ExtendedHighestSequenceNumber);
        Assert.Equal(256u, block.Jitter);
        Assert.Equal(ReceiverReportBytes, rr.ToArray());
    }

    [Fact]
    public void ReceptionReport_CumulativeLostBeyond24Bits_Saturates()
    {
        var buffer = new byte[ReceptionReport.Length];
        new ReceptionReport(1, 0, 50_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.Equal(ReceptionReport.MaxCumulativeLost, ReceptionReport.Read(buffer).CumulativeLost);
        new ReceptionReport(1, 0, -50_000_000, 0, 0, 0, 0).Write(buffer);
        Assert.Equal(ReceptionReport.MinCumulativeLost, ReceptionReport.Read(buffer).CumulativeLost);
    }

    [Fact]
    public void SourceDescription_Vector_ReadsCname()
    {
        var sdes = Parse<SourceDescription>(SdesBytes);
        var chunk = Assert.Single(sdes.Chunks);
        Assert.Equal(0x11223344u, chunk.Ssrc);
        Assert.Equal(new SdesItem(SdesItemType.Cname, "user@example"), Assert.Single(chunk.Items));
        Assert.Equal(SdesBytes, sdes.ToArray());
        Assert.Equal(SdesBytes, SourceDescription.ForCname(0x11223344, "user@example").ToArray());
    }

    [Fact]
    public void SourceDescription_ItemsEndingOnWordBoundary_AddsFourNulls()
    {
        // 2 + 2 bytes of items end on a boundary: RFC 3550 §6.5 still needs a terminating null, so a whole word follows.
        var bytes = SourceDescription.ForCname(9, "ab").ToArray();
        Assert.Equal(Hex("81CA0003 00000009 01026162 00000000"), bytes);
        Assert.Equal("ab", Parse<SourceDescription>(bytes).Chunks[0].Items[0].Text);
    }

    [Fact]
    public void Goodbye_Vector_ReadsSourceAndReason()
    {
        var bye = Parse<Goodbye>(GoodbyeBytes);
        Assert.Equal([0x11223344u], bye.Sources);
        Assert.Equal("bye", bye.Reason);
        Assert.Equal(GoodbyeBytes, bye.ToArray());
    }

    [Fact]
    public void GenericNack_Vector_ExpandsBitmask()
    {
        var nack = Parse<GenericNack>(NackBytes);
        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(2u, nack.MediaSsrc);
        Assert.Equal([(ushort)100, (ushort)101, (ushort)103], nack.LostPackets());
        Assert.Equal(NackBytes, nack.ToArray());
        Assert.Equal(NackBytes, GenericNack.FromSequenceNumbers(1, 2, [103, 100, 101]).ToArray());
    }

    [Fact]
    public void GenericNack_FromSequenceNumbersAcrossWrap_PacksIntoPairs()
    {
        var nack = GenericNack.FromSequenceNumbers(1, 2, [65534, 65535, 0, 15, 16, 40]);
        Assert.Equal([new NackPair(65534, 0b11), new NackPair(15, 0b1), new NackPair(40, 0)], nack.Pairs);
        Assert.Equal([(ushort)65534, (ushort)65535, (ushort)0, (ushort)15, (ushort)16, (ushort)40], nack.LostPackets());
    }

    [Fact]
    public void PictureLossIndication_Vector_ReadsSsrcs()
    {
        var pli = Parse<PictureLossIndication>(PliBytes);
        Assert.Equal(1u, pli.SenderSsrc);
        Assert.Equal(2u, pli.MediaSsrc);
        Assert.Equal(PliBytes, pli.ToArray());
    }

    [Fact]
    public void FullIntraRequest_Vector_ReadsEntry()
    {
        var fir = Parse<FullIntraRequest>(FirBytes);
        Assert.Equal(new FirEntry(2, 7), Assert.Single(fir.Entries));
        Assert.Equal(FirBytes, fir.ToArray());
    }

    [Fact]
    public void Remb_Vector_ReadsBitrate()
    {
        var remb = Parse<Remb>(RembBytes);
        Assert.Equal(1_000_000UL, remb.Bitrate);
        Assert.Equal([2u], remb.Ssrcs);
        Assert.Equal(RembBytes, remb.ToArray());
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(262_143UL)]
    [InlineData(2_500_000UL)]
    [InlineData(123_456_789UL)]
    public void Remb_RoundTrip_KeepsBitrateWithinMantissaPrecision(ulong bitrate)
    {
        var parsed = Parse<Remb>(new Remb { SenderSsrc = 3, Bitrate = bitrate, Ssrcs = [4, 5] }.ToArray());
        Assert.InRange(parsed.Bitrate, bitrate - (bitrate >> 17), bitrate); // 18-bit mantissa truncates.
        Assert.Equal([4u, 5u], parsed.Ssrcs);
    }

    [Fact]
    public void Remb_HugeExponent_Saturates()
    {
        var bytes = (byte[])RembBytes.Clone();
        bytes[17] = 0xFF; // Exponent 63, mantissa high bits set.
        Assert.Equal(ulong.MaxValue, Parse<Remb>(bytes).Bitrate);
    }

    [Fact]
    public void TransportWideCc_Vector_ReadsStatusesAndDeltas()
    {
        var twcc = Parse<TransportWideCc>(TwccBytes);
        Assert.Equal(5, twcc.BaseSequenceNumber);
        Assert.Equal(16, twcc.ReferenceTime);
        Assert.Equal(3, twcc.FeedbackPacketCount);
        Assert.Equal(
            [
                new TwccPacketResult(5, TwccStatus.SmallDelta, 4),
                new TwccPacketResult(6, TwccStatus.SmallDelta, 8),
                new TwccPacketResult(7, TwccStatus.SmallDelta, 12),
                new TwccPacketResult(8, TwccStatus.NotReceived, 0),
                new TwccPacketResult(9, TwccStatus.SmallDelta, 0),
                new TwccPacketResult(10, TwccStatus.SmallDelta, 255),
                new TwccPacketResult(11, TwccStatus.NotReceived, 0),
            ],
            twcc.Packets);
        Assert.Equal(TimeSpan.FromMilliseconds(3), twcc.Packets[2].DeltaTime);
    }

    [Fact]
    public void TransportWideCc_RoundTrip_KeepsLargeAndNegativeDeltas()
    {
        var original = new TransportWideCc
        {
            SenderSsrc = 1,
            MediaSsrc = 2,
            BaseSequenceNumber = 65530,
            ReferenceTime = -5,
            FeedbackPacketCount = 200,
            Packets = Enumerable.Range(0, 20).Select(i => new TwccPacketResult(
                (ushort)(65530 + i),
                (TwccStatus)(i % 3),
                (i % 3) switch { 1 => i * 10, 2 => -1000 * i, _ => 0 })).ToList(),
        };

        var bytes = original.ToArray();
        Assert.Equal(0, bytes.Length % 4);
        var parsed = Parse<TransportWideCc>(bytes);
        Assert.Equal(original.Packets, parsed.Packets);
        Assert.Equal(-5, parsed.ReferenceTime);
        Assert.Equal(200, parsed.FeedbackPacketCount);
    }

    [Fact]
    public void TransportWideCc_RunLengthOfOneBitVectorAndReservedSymbol_Handled()
    {
        // 14 statuses as one one-bit vector, all received: 14 delta bytes.
        var fourteen = Hex("8FCD0008 00000001 00000002 0000 000E 000000 00 BFFF 0102030405060708090A0B0C0D0E");
        Assert.Equal(14, Parse<TransportWideCc>(fourteen).Packets.Count(p => p.Status == TwccStatus.SmallDelta));

        // Run of reserved symbol 3 is malformed.
        var reserved = Hex("8FCD0005 00000001 00000002 0000 0002 000000 00 6002 0000");
        Assert.False(RtcpPacket.TryParse(reserved, out _, out _));
    }

    [Fact]
    public void UnknownType_App_KeptVerbatim()
    {
        var app = Hex("80CC0002 00000001 4E414D45"); // RFC 3550 §6.7 APP with name "NAME".
        var packet = Parse<UnknownRtcpPacket>(app);
        Assert.Equal(RtcpPacketType.ApplicationDefined, packet.PacketType);
        Assert.Equal(app, packet.ToArray());
    }
}
