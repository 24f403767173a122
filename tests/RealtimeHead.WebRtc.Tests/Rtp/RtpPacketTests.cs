using RealtimeHead.WebRtc.Rtp;
using static RealtimeHead.WebRtc.Tests.Rtp.TestBytes;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class RtpPacketTests
{
    // RFC 3550 §5.1: V=2, M=1, PT=96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, 3 payload bytes.
    private static readonly byte[] Minimal = Hex("80E0 1234 DEADBEEF 01020304 AABBCC");

    // P, X, CC=2, PT=111; RFC 8285 one-byte extension (id 1 len 1, id 3 len 3, two padding bytes); 3 bytes of padding.
    private static readonly byte[] Full = Hex(
        "B26F FFFF 00000001 11223344 AAAAAAAA BBBBBBBB" +
        "BEDE 0002 107F 32010203 0000" +
        "01020304 000003");

    // RFC 8285 §4.3 two-byte extension: id 200 with no data, id 5 with 3 bytes, one padding byte.
    private static readonly byte[] TwoByte = Hex("9060 0001 00000002 00000003 1000 0002 C800 0503AABBCC 00 FF");

    [Fact]
    public void TryParse_MinimalPacket_ReadsEveryField()
    {
        Assert.True(RtpPacket.TryParse(Minimal, out var packet));
        Assert.True(packet.Marker);
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Empty(packet.Csrcs);
        Assert.Empty(packet.Extensions);
        Assert.Equal(Hex("AABBCC"), packet.Payload.ToArray());
        Assert.Equal(Minimal, packet.ToArray());
    }

    [Fact]
    public void TryParse_CsrcsOneByteExtensionAndPadding_RoundTrips()
    {
        Assert.True(RtpPacket.TryParse(Full, out var packet));
        Assert.False(packet.Marker);
        Assert.Equal(111, packet.PayloadType);
        Assert.Equal(0xFFFF, packet.SequenceNumber);
        Assert.Equal([0xAAAAAAAAu, 0xBBBBBBBBu], packet.Csrcs);
        Assert.Equal(2, packet.Extensions.Count);
        Assert.True(packet.TryGetExtension(1, out var audioLevel));
        Assert.Equal(Hex("7F"), audioLevel.ToArray());
        Assert.True(packet.TryGetExtension(3, out var third));
        Assert.Equal(Hex("010203"), third.ToArray());
        Assert.False(packet.TryGetExtension(2, out _));
        Assert.Equal(Hex("01020304"), packet.Payload.ToArray());
        Assert.Equal(3, packet.PaddingSize);
        Assert.Equal(Full.Length, packet.GetSerializedLength());
        Assert.Equal(Full, packet.ToArray());
    }

    [Fact]
    public void TryParse_TwoByteExtension_RoundTrips()
    {
        Assert.True(RtpPacket.TryParse(TwoByte, out var packet));
        Assert.Equal(2, packet.Extensions.Count);
        Assert.Equal(200, packet.Extensions[0].Id);
        Assert.Equal(0, packet.Extensions[0].Data.Length);
        Assert.Equal(5, packet.Extensions[1].Id);
        Assert.Equal(Hex("AABBCC"), packet.Extensions[1].Data.ToArray());
        Assert.Equal(Hex("FF"), packet.Payload.ToArray());
        Assert.Equal(TwoByte, packet.ToArray());
    }

    [Fact]
    public void TryParse_OneByteExtensionWithId15_StopsReading()
    {
        // id 2 len 1, then id 15 (reserved: stop), then bytes that would be an element.
        var data = Hex("9060 0001 00000002 00000003 BEDE 0001 2055 F010 AA");
        Assert.True(RtpPacket.TryParse(data, out var packet));
        Assert.Single(packet.Extensions);
        Assert.Equal(2, packet.Extensions[0].Id);
        Assert.Equal(Hex("AA"), packet.Payload.ToArray());
    }

    [Fact]
    public void TryParse_UnknownExtensionProfile_KeepsRawBody()
    {
        var data = Hex("9060 0001 00000002 00000003 ABCD 0001 01020304 EE");
        Assert.True(RtpPacket.TryParse(data, out var packet));
        Assert.Equal(0xABCD, packet.RawExtensionProfile);
        Assert.Equal(Hex("01020304"), packet.RawExtension.ToArray());
        Assert.Equal(data, packet.ToArray());
    }

    [Fact]
    public void TryParse_PayloadIsSliceOfDatagram_NoCopy()
    {
        var datagram = (byte[])Minimal.Clone();
        Assert.True(RtpPacket.TryParse(datagram, out var packet));
        datagram[^1] = 0x11;
        Assert.Equal(0x11, packet.Payload.Span[^1]);
    }

    [Fact]
    public void ToArray_ExtensionsThatFitOneByteForm_WritesBede()
    {
        var packet = new RtpPacket
        {
            PayloadType = 96,
            SequenceNumber = 7,
            Timestamp = 9,
            Ssrc = 5,
            Extensions = [new RtpHeaderExtension(4, Hex("0102"))],
            Payload = Hex("99"),
        };

        Assert.Equal(Hex("9060 0007 00000009 00000005 BEDE 0001 41010200 99"), packet.ToArray());
    }

    [Fact]
    public void TryParse_EveryTruncation_ReturnsFalse()
    {
        foreach (var vector in new[] { Minimal, Full, TwoByte })
        {
            var failures = 0;
            for (var length = 0; length < 12; length++)
            {
                failures += RtpPacket.TryParse(vector.AsMemory(0, length), out _) ? 0 : 1;
            }

            Assert.Equal(12, failures);
        }

        // Cut inside the CSRCs or the extension. (Later cuts can end on a byte that is a valid padding count.)
        for (var length = 12; length <= 32; length++)
        {
            Assert.False(RtpPacket.TryParse(Full.AsMemory(0, length), out _), $"length {length}");
        }
    }

    [Theory]
    [InlineData("4060 0001 00000002 00000003")] // Version 1.
    [InlineData("A060 0001 00000002 00000003 AA00")] // Padding count 0.
    [InlineData("A060 0001 00000002 00000003 AA09")] // Padding longer than the packet body.
    [InlineData("9060 0001 00000002 00000003 BEDE 0001 3F01")] // One-byte element longer than the extension.
    [InlineData("9060 0001 00000002 00000003 1000 0001 05090000")] // Two-byte element longer than the extension.
    public void TryParse_Malformed_ReturnsFalse(string hex) => Assert.False(RtpPacket.TryParse(Hex(hex), out _));

    [Fact]
    public void TryParse_RandomInput_NeverThrows()
    {
        var random = new Random(1234);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(0, 80)];
            random.NextBytes(data);
            if (i % 2 == 0 && data.Length > 0)
            {
                data[0] = (byte)(0x80 | (data[0] & 0x3F)); // Valid version half the time, to reach deeper code.
            }

            if (RtpPacket.TryParse(data, out var packet))
            {
                parsed++;
                Assert.True(packet.Payload.Length <= data.Length);
            }
        }

        Assert.InRange(parsed, 1, 19_999);
    }
}
