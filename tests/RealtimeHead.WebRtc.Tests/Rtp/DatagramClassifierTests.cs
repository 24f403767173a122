using RealtimeHead.WebRtc.Rtp;
using static RealtimeHead.WebRtc.Tests.Rtp.TestBytes;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class DatagramClassifierTests
{
    [Theory]
    [InlineData("0001 0000", DatagramKind.Stun)] // Binding request.
    [InlineData("0101 0000", DatagramKind.Stun)] // Binding success.
    [InlineData("10", DatagramKind.Zrtp)]
    [InlineData("16FEFD", DatagramKind.Dtls)] // Handshake, DTLS 1.2.
    [InlineData("17FEFD", DatagramKind.Dtls)] // Application data.
    [InlineData("40000004", DatagramKind.TurnChannel)]
    [InlineData("80600001", DatagramKind.Rtp)] // PT 96.
    [InlineData("80EF0001", DatagramKind.Rtp)] // M=1, PT 111.
    [InlineData("80C80006", DatagramKind.Rtcp)] // SR (200).
    [InlineData("80C90001", DatagramKind.Rtcp)] // RR (201).
    [InlineData("81CD0002", DatagramKind.Rtcp)] // NACK (205).
    [InlineData("8FCE0004", DatagramKind.Rtcp)] // REMB (206).
    [InlineData("80", DatagramKind.Unknown)] // Too short to tell RTP from RTCP.
    [InlineData("C0600001", DatagramKind.Unknown)] // 192+: not assigned.
    [InlineData("05", DatagramKind.Unknown)]
    [InlineData("", DatagramKind.Unknown)]
    internal void Classify_FirstBytes_ReturnsKind(string hex, DatagramKind expected) =>
        Assert.Equal(expected, DatagramClassifier.Classify(Hex(hex)));

    [Fact]
    public void Classify_AllPayloadTypes_SplitsRtcpRangePerRfc5761()
    {
        var rtcp = 0;
        for (var second = 0; second < 256; second++)
        {
            var kind = DatagramClassifier.Classify([0x80, (byte)second]);
            rtcp += kind == DatagramKind.Rtcp ? 1 : 0;
            Assert.Equal((second & 0x7F) is >= 64 and <= 95 ? DatagramKind.Rtcp : DatagramKind.Rtp, kind);
        }

        Assert.Equal(64, rtcp); // 32 payload types, marker bit on and off.
    }
}
