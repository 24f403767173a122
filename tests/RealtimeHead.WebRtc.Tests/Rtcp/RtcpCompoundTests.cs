using RealtimeHead.WebRtc.Rtcp;
using static RealtimeHead.WebRtc.Tests.Rtp.TestBytes;

namespace RealtimeHead.WebRtc.Tests.Rtcp;

public sealed class RtcpCompoundTests
{
    [Fact]
    public void TryParse_SenderReportAndSdes_ReturnsBothAndRoundTrips()
    {
        var datagram = RtcpPacketTests.SenderReportBytes.Concat(RtcpPacketTests.SdesBytes).ToArray();
        Assert.True(RtcpCompound.TryParse(datagram, out var packets));
        Assert.IsType<SenderReport>(packets[0]);
        Assert.IsType<SourceDescription>(packets[1]);
        Assert.Equal(datagram, RtcpCompound.Serialize(packets));
    }

    [Fact]
    public void TryParse_EveryVectorConcatenated_ReturnsNinePackets()
    {
        var datagram = RtcpPacketTests.AllVectors.SelectMany(v => v).ToArray();
        Assert.True(RtcpCompound.TryParse(datagram, out var packets));
        Assert.Equal(
            [typeof(SenderReport), typeof(ReceiverReport), typeof(SourceDescription), typeof(Goodbye), typeof(GenericNack),
             typeof(PictureLossIndication), typeof(FullIntraRequest), typeof(Remb), typeof(TransportWideCc)],
            packets.Select(p => p.GetType()));
    }

    [Fact]
    public void TryParse_ReducedSizeSinglePli_Accepted()
    {
        // RFC 5506 §3: a feedback packet alone, without SR/RR first.
        Assert.True(RtcpCompound.TryParse(RtcpPacketTests.PliBytes, out var packets));
        Assert.IsType<PictureLossIndication>(Assert.Single(packets));
    }

    [Fact]
    public void TryParse_MalformedSecondPacket_ReturnsFalseWithFirst()
    {
        var datagram = RtcpPacketTests.PliBytes.Concat(Hex("81C90001 CAFEBABE")).ToArray(); // RR claims a block it lacks.
        Assert.False(RtcpCompound.TryParse(datagram, out var packets));
        Assert.IsType<PictureLossIndication>(Assert.Single(packets));
    }

    [Fact]
    public void TryParse_EveryTruncationOfEveryVector_ReturnsFalse()
    {
        var failures = 0;
        var total = 0;
        foreach (var vector in RtcpPacketTests.AllVectors)
        {
            for (var length = 0; length < vector.Length; length++)
            {
                total++;
                failures += RtcpCompound.TryParse(vector.AsSpan(0, length), out _) ? 0 : 1;
            }
        }

        Assert.Equal(total, failures);
    }

    [Theory]
    [InlineData("41C80000")] // Version 1.
    [InlineData("80C80000")] // SR with no body.
    [InlineData("82C90001 CAFEBABE")] // RR with 2 blocks, none present.
    [InlineData("A1C90001 CAFEBABE")] // Padding bit, last byte 0xBE exceeds the body.
    [InlineData("A0C90001 CAFEBA00")] // Padding count 0.
    [InlineData("81CA0001 11223344")] // SDES chunk without END.
    [InlineData("81CA0002 11223344 01FF0000")] // SDES item longer than the packet.
    [InlineData("80CB0001 05626F00")] // BYE reason longer than the packet.
    [InlineData("81CD0001 00000001")] // NACK without media SSRC.
    [InlineData("8FCE0003 00000001 00000000 52454D42")] // REMB without its count/bitrate word.
    [InlineData("8FCE0004 00000001 00000000 52454D42 050BD090")] // REMB promising 5 SSRCs.
    [InlineData("8FCD0004 00000001 00000002 0000 0010 000000 00")] // TWCC with statuses but no chunks.
    [InlineData("8FCD0005 00000001 00000002 0000 0003 000000 00 2003 0000")] // TWCC deltas missing.
    public void TryParse_Malformed_ReturnsFalse(string hex) => Assert.False(RtcpCompound.TryParse(Hex(hex), out _));

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(2024);
        var vectors = RtcpPacketTests.AllVectors.ToArray();
        var parsed = 0;
        var rejected = 0;
        for (var i = 0; i < 30_000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[random.Next(0, 64)];
                random.NextBytes(data);
                if (data.Length > 0)
                {
                    data[0] = (byte)(0x80 | (data[0] & 0x3F));
                }
            }
            else
            {
                // Flip a few bytes of a valid vector (after the version bits) to reach the body parsers.
                data = (byte[])vectors[random.Next(vectors.Length)].Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                data[0] = (byte)(0x80 | (data[0] & 0x3F));
            }

            if (RtcpCompound.TryParse(data, out var packets))
            {
                parsed++;
                foreach (var packet in packets)
                {
                    Assert.True(packet.GetSerializedLength() > 0);
                }
            }
            else
            {
                rejected++;
            }
        }

        Assert.True(parsed > 100, $"parsed {parsed}");
        Assert.True(rejected > 100, $"rejected {rejected}");
    }

    [Fact]
    public void NtpTime_KnownInstant_ConvertsBothWays()
    {
        // 1970-01-01 is 2 208 988 800 s after the NTP epoch (RFC 868); half a second is fraction 2^31.
        var ntp = NtpTime.FromDateTimeOffset(new DateTimeOffset(1970, 1, 1, 0, 0, 0, 500, TimeSpan.Zero));
        Assert.Equal(2_208_988_800u, ntp.Seconds);
        Assert.Equal(0x8000_0000u, ntp.Fraction);
        Assert.Equal((2_208_988_800u << 16) | 0x8000, ntp.Middle32);
        Assert.Equal(new DateTimeOffset(1970, 1, 1, 0, 0, 0, 500, TimeSpan.Zero), ntp.ToDateTimeOffset());
        Assert.Equal(16_384u, NtpTime.ToShortUnits(TimeSpan.FromMilliseconds(250)));
    }
}
