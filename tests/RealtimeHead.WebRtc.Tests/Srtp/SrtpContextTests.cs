using System.Buffers.Binary;
using RealtimeHead.WebRtc.Srtp;
using static RealtimeHead.WebRtc.Tests.Srtp.SrtpTestPackets;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static SrtpMasterKey Key(int seed)
    {
        var random = new Random(seed);
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        random.NextBytes(key);
        random.NextBytes(salt);
        return new SrtpMasterKey(key, salt);
    }

    private static (byte[] Buffer, int Length) Protect(SrtpContext sender, byte[] rtp)
    {
        byte[] buffer = WithRoom(rtp, SrtpProfile.RtpOverhead);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, rtp.Length, out int length));
        return (buffer, length);
    }

    [Theory]
    [InlineData(0, 0, 160)]
    [InlineData(3, 0, 1)]
    [InlineData(0, 2, 1100)]
    [InlineData(15, 5, 0)]
    public void ProtectRtp_ThenUnprotect_RestoresPacket(int csrcs, int extensionWords, int payload)
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1));
        byte[] rtp = MakeRtp(4321, 0xCAFEBABE, payload, new Random(2), csrcs, extensionWords);
        int headerLength = 12 + (4 * csrcs) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);

        (byte[] buffer, int length) = Protect(sender, rtp);

        Assert.Equal(rtp.Length + 10, length);
        Assert.Equal(rtp[..headerLength], buffer[..headerLength]);
        if (payload >= 8)
        {
            Assert.NotEqual(rtp[headerLength..], buffer[headerLength..rtp.Length]);
        }

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out int plainLength));
        Assert.Equal(rtp, buffer[..plainLength]);
        Assert.Equal(1, sender.Counters.RtpProtected);
        Assert.Equal(1, receiver.Counters.RtpUnprotected);
    }

    [Fact]
    public void UnprotectRtp_AnyByteFlipped_AuthenticationFailsAndIsCounted()
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1));
        (byte[] buffer, int length) = Protect(sender, MakeRtp(100, 7, 40, new Random(3)));

        int failures = 0;
        for (int position = 0; position < length; position++)
        {
            byte[] tampered = buffer[..length];
            tampered[position] ^= 0x01;
            SrtpStatus status = receiver.UnprotectRtp(tampered, out _);

            // Flipping the CSRC count or X bit can make the header run past the end: malformed then.
            Assert.True(status is SrtpStatus.AuthenticationFailed or SrtpStatus.Malformed, $"byte {position}: {status}");
            failures += status == SrtpStatus.AuthenticationFailed ? 1 : 0;
        }

        Assert.Equal(failures, receiver.Counters.AuthenticationFailures);
        Assert.True(failures >= length - 2);
        Assert.Equal(0, receiver.Counters.RtpUnprotected);

        // The genuine packet still verifies: failures did not move the window.
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void UnprotectRtp_WrongKey_AuthenticationFails()
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(2));
        (byte[] buffer, int length) = Protect(sender, MakeRtp(100, 7, 40, new Random(3)));

        Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtp(buffer.AsSpan(0, length), out _));
        Assert.Equal(1, receiver.Counters.AuthenticationFailures);
    }

    [Fact]
    public void UnprotectRtp_SamePacketTwice_SecondIsReplayAndCounted()
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1));
        (byte[] buffer, int length) = Protect(sender, MakeRtp(100, 7, 40, new Random(3)));
        byte[] copy = buffer[..length];

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out _));
        Assert.Equal(SrtpStatus.ReplayDuplicate, receiver.UnprotectRtp(copy, out _));
        Assert.Equal(1, receiver.Counters.ReplayDrops);
    }

    [Fact]
    public void UnprotectRtp_ReorderedAndTooOld_AcceptsInsideWindowOnly()
    {
        var options = new SrtpContextOptions { ReplayWindowSize = 64 };
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1), options);
        var random = new Random(4);
        var packets = Enumerable.Range(0, 200).Select(i => Protect(sender, MakeRtp((ushort)(1000 + i), 7, 20, random))).ToArray();

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[0].Buffer.AsSpan(0, packets[0].Length), out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[150].Buffer.AsSpan(0, packets[150].Length), out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[100].Buffer.AsSpan(0, packets[100].Length), out _));
        Assert.Equal(SrtpStatus.ReplayTooOld, receiver.UnprotectRtp(packets[86].Buffer.AsSpan(0, packets[86].Length), out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packets[87].Buffer.AsSpan(0, packets[87].Length), out _));
        Assert.Equal(3 + 1, receiver.Counters.RtpUnprotected);
        Assert.Equal(1, receiver.Counters.ReplayDrops);
    }

    [Fact]
    public void ProtectRtp_SequenceWrapsTwice_ReceiverTracksRollover()
    {
        using var sender = new SrtpContext(Key(5));
        using var receiver = new SrtpContext(Key(5));
        var random = new Random(6);
        byte[] buffer = new byte[12 + 32 + 10];
        int ok = 0;

        // 70,000 packets from 65,000 cross 2^16 twice: ROC goes 0 -> 1 -> 2.
        for (int i = 0; i < 140_000; i += 2)
        {
            ushort sequence = (ushort)(65_000 + i);
            byte[] rtp = MakeRtp(sequence, 42, 32, random);
            rtp.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, rtp.Length, out int length));
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out int plain));
            Assert.Equal(rtp, buffer[..plain]);
            ok++;
        }

        Assert.Equal(ok, receiver.Counters.RtpUnprotected);
    }

    [Fact]
    public void ProtectRtp_ResendOfSequenceBeforeWrap_SameBytesAsOriginal()
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1));
        var random = new Random(8);
        byte[] original = MakeRtp(65535, 9, 50, random);
        (byte[] first, int firstLength) = Protect(sender, original);
        Protect(sender, MakeRtp(0, 9, 50, random));
        Protect(sender, MakeRtp(1, 9, 50, random));

        // A NACK asks for 65535 again after the sender's ROC moved to 1: it must keep ROC 0.
        (byte[] resent, int resentLength) = Protect(sender, original);

        Assert.Equal(first[..firstLength], resent[..resentLength]);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(resent.AsSpan(0, resentLength), out _));
        Assert.Equal(4, sender.Counters.RtpProtected);
    }

    [Fact]
    public void ProtectRtp_NoRoomForTag_BufferTooSmallAndCounted()
    {
        using var sender = new SrtpContext(Key(1));
        byte[] rtp = MakeRtp(1, 2, 30, new Random(1));
        byte[] buffer = WithRoom(rtp, 9);

        Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(0, length);
        Assert.Equal(rtp, buffer[..rtp.Length]);
        Assert.Equal(1, sender.Counters.Malformed);
    }

    [Fact]
    public void ProtectRtp_NotVersion2OrShort_Malformed()
    {
        using var sender = new SrtpContext(Key(1));
        byte[] rtp = WithRoom(MakeRtp(1, 2, 30, new Random(1)));
        rtp[0] = 0x40;

        Assert.Equal(SrtpStatus.Malformed, sender.ProtectRtp(rtp, 42, out _));
        Assert.Equal(SrtpStatus.Malformed, sender.ProtectRtp(new byte[40], 11, out _));
        Assert.Equal(SrtpStatus.Malformed, sender.ProtectRtp(new byte[40], 41, out _));
        Assert.Equal(3, sender.Counters.Malformed);
    }

    [Fact]
    public void UnprotectRtp_RandomBytes_NeverThrowsAndEveryPacketCounted()
    {
        using var receiver = new SrtpContext(Key(1));
        var random = new Random(11);
        const int Count = 5000;
        for (int i = 0; i < Count; i++)
        {
            byte[] junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            if (i % 2 == 0 && junk.Length > 0)
            {
                // A plausible fixed header (V=2, no CSRC, no extension) reaches the tag check.
                junk[0] = 0x80;
            }

            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(junk, out _));
        }

        SrtpCounters c = receiver.Counters;
        Assert.Equal(Count, c.Malformed + c.AuthenticationFailures + c.ReplayDrops + c.OtherDrops);
        Assert.True(c.AuthenticationFailures > 1500, $"{c.AuthenticationFailures} reached the tag check");
        Assert.True(c.Malformed > 1500, $"{c.Malformed} were malformed");
    }

    [Fact]
    public void UnprotectRtcp_RandomBytes_NeverThrowsAndEveryPacketCounted()
    {
        using var receiver = new SrtpContext(Key(1));
        var random = new Random(12);
        const int Count = 5000;
        for (int i = 0; i < Count; i++)
        {
            byte[] junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            if (i % 2 == 0 && junk.Length > 0)
            {
                junk[0] = (byte)(0x80 | (junk[0] & 0x3F));
            }

            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(junk, out _));
        }

        SrtpCounters c = receiver.Counters;
        Assert.Equal(Count, c.Malformed + c.AuthenticationFailures + c.ReplayDrops + c.OtherDrops);
    }

    [Fact]
    public void ProtectRtcp_ThenUnprotect_RestoresPacketWithIndexAndEFlag()
    {
        using var sender = new SrtpContext(Key(3));
        using var receiver = new SrtpContext(Key(3));
        var random = new Random(13);

        for (uint expectedIndex = 0; expectedIndex < 5; expectedIndex++)
        {
            byte[] rtcp = MakeRtcp(0x01020304, (int)expectedIndex, random);
            byte[] buffer = WithRoom(rtcp, SrtpProfile.RtcpOverhead);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, rtcp.Length, out int length));

            Assert.Equal(rtcp.Length + 14, length);
            Assert.Equal(rtcp[..8], buffer[..8]);
            Assert.Equal(0x8000_0000u | expectedIndex, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(rtcp.Length)));

            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer.AsSpan(0, length), out int plain));
            Assert.Equal(rtcp, buffer[..plain]);
        }

        Assert.Equal(5, receiver.Counters.RtcpUnprotected);
    }

    [Fact]
    public void UnprotectRtcp_TamperedAndReplayed_DroppedAndCounted()
    {
        using var sender = new SrtpContext(Key(3));
        using var receiver = new SrtpContext(Key(3));
        byte[] rtcp = MakeRtcp(77, 3, new Random(14));
        byte[] buffer = WithRoom(rtcp, SrtpProfile.RtcpOverhead);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, rtcp.Length, out int length));
        byte[] replay = buffer[..length];
        byte[] tampered = buffer[..length];
        tampered[20] ^= 0x80;

        Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(tampered, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer.AsSpan(0, length), out _));
        Assert.Equal(SrtpStatus.ReplayDuplicate, receiver.UnprotectRtcp(replay, out _));
        Assert.Equal(1, receiver.Counters.AuthenticationFailures);
        Assert.Equal(1, receiver.Counters.ReplayDrops);
    }

    [Fact]
    public void UnprotectRtp_MoreSsrcsThanLimit_StreamLimitReachedAndCounted()
    {
        var options = new SrtpContextOptions { MaxStreams = 2 };
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1), options);
        var random = new Random(15);

        for (uint ssrc = 1; ssrc <= 3; ssrc++)
        {
            (byte[] buffer, int length) = Protect(sender, MakeRtp(10, ssrc, 10, random));
            SrtpStatus status = receiver.UnprotectRtp(buffer.AsSpan(0, length), out _);
            Assert.Equal(ssrc <= 2 ? SrtpStatus.Ok : SrtpStatus.StreamLimitReached, status);
        }

        Assert.Equal(1, receiver.Counters.OtherDrops);
    }

    [Fact]
    public void ProtectAndUnprotect_SteadyState_AllocatesNothing()
    {
        using var sender = new SrtpContext(Key(1));
        using var receiver = new SrtpContext(Key(1));
        byte[] rtp = MakeRtp(0, 5, 1100, new Random(19));
        byte[] rtcp = MakeRtcp(5, 10, new Random(20));
        byte[] buffer = new byte[1500];

        void RoundTrip(ushort sequence)
        {
            rtp.CopyTo(buffer, 0);
            buffer[2] = (byte)(sequence >> 8);
            buffer[3] = (byte)sequence;
            sender.ProtectRtp(buffer, rtp.Length, out int length);
            receiver.UnprotectRtp(buffer.AsSpan(0, length), out _);
            rtcp.CopyTo(buffer, 0);
            sender.ProtectRtcp(buffer, rtcp.Length, out length);
            receiver.UnprotectRtcp(buffer.AsSpan(0, length), out _);
        }

        RoundTrip(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= 1000; i++)
        {
            RoundTrip((ushort)i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1001, receiver.Counters.RtpUnprotected);
        Assert.Equal(1001, receiver.Counters.RtcpUnprotected);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(0x0_FFFFL, 0x0000, 0x1_0000L)]
    [InlineData(0x1_0002L, 0xFFFF, 0x0_FFFFL)]
    [InlineData(0x1_8000L, 0x0000, 0x1_0000L)]
    [InlineData(0x1_8001L, 0x0000, 0x2_0000L)]
    [InlineData(0x1_7FFFL, 0xFFFF, 0x1_FFFFL)]
    [InlineData(0x1_0005L, 0x0010, 0x1_0010L)]
    [InlineData(0x0_0005L, 0xFFF0, -1L)]
    public void EstimateIndex_Rfc3711AppendixA_GuessesRollover(long highest, int sequence, long expected)
    {
        Assert.Equal(expected, SrtpContext.EstimateIndex(highest, (ushort)sequence));
    }

    [Fact]
    public void Validate_SeveralBadValues_ListsAllOfThem()
    {
        var options = new SrtpContextOptions { ReplayWindowSize = 100, MaxStreams = 0 };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(nameof(SrtpContextOptions.ReplayWindowSize), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SrtpContextOptions.MaxStreams), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SrtpSession_TwoEndsOfDtlsExport_EachReadsTheOther()
    {
        byte[] exported = new byte[60];
        new Random(16).NextBytes(exported);
        using var server = new SrtpSession(SrtpKeyingMaterial.FromDtlsExporter(exported, isDtlsServer: true));
        using var client = new SrtpSession(SrtpKeyingMaterial.FromDtlsExporter(exported, isDtlsServer: false));
        byte[] rtp = MakeRtp(5, 6, 70, new Random(17));

        byte[] toClient = WithRoom(rtp);
        Assert.Equal(SrtpStatus.Ok, server.ProtectRtp(toClient, rtp.Length, out int length));
        Assert.Equal(SrtpStatus.Ok, client.UnprotectRtp(toClient.AsSpan(0, length), out _));

        byte[] toServer = WithRoom(rtp);
        Assert.Equal(SrtpStatus.Ok, client.ProtectRtp(toServer, rtp.Length, out length));
        Assert.Equal(SrtpStatus.Ok, server.UnprotectRtp(toServer.AsSpan(0, length), out int plain));
        Assert.Equal(rtp, toServer[..plain]);

        // A server packet looped back to the server does not verify: the directions use different keys.
        byte[] loop = WithRoom(MakeRtp(6, 6, 70, new Random(18)));
        Assert.Equal(SrtpStatus.Ok, server.ProtectRtp(loop, rtp.Length, out length));
        Assert.Equal(SrtpStatus.AuthenticationFailed, server.UnprotectRtp(loop.AsSpan(0, length), out _));
    }
}
