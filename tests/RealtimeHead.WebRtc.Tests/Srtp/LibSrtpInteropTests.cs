using RealtimeHead.WebRtc.Srtp;
using static RealtimeHead.WebRtc.Tests.Srtp.SrtpTestPackets;

namespace RealtimeHead.WebRtc.Tests.Srtp;

/// <summary>The managed SRTP against libsrtp2, both ways, across sequence number wraps.</summary>
public sealed class LibSrtpInteropTests
{
    private const int PacketCount = 5000;
    private const ushort FirstSequence = 65_535 - 2_000;

    private static (SrtpMasterKey Key, byte[] KeyAndSalt) MasterKey(int seed)
    {
        byte[] keyAndSalt = new byte[30];
        new Random(seed).NextBytes(keyAndSalt);
        return (new SrtpMasterKey(keyAndSalt.AsSpan(0, 16), keyAndSalt.AsSpan(16)), keyAndSalt);
    }

    private static byte[] VariedRtp(int i, Random random) =>
        MakeRtp((ushort)(FirstSequence + i), 0x1234_5678, random.Next(0, 1200), random, csrcCount: i % 3, extensionWords: i % 5 == 0 ? 2 : 0);

    [Fact]
    public void ProtectRtp_LibSrtpUnprotects_AcrossSequenceWrap()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(1);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: true);
        var random = new Random(2);
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];

        for (int i = 0; i < PacketCount; i++)
        {
            byte[] rtp = VariedRtp(i, random);
            rtp.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, ours.ProtectRtp(buffer, rtp.Length, out int length));
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Unprotect(buffer, ref length));
            Assert.Equal(rtp.Length, length);
            Assert.True(rtp.AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"packet {i}");
        }

        Assert.Equal(PacketCount, ours.Counters.RtpProtected);
    }

    [Fact]
    public void LibSrtpProtectRtp_WeUnprotect_AcrossSequenceWrap()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(3);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: false);
        var random = new Random(4);
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];

        for (int i = 0; i < PacketCount; i++)
        {
            byte[] rtp = VariedRtp(i, random);
            rtp.CopyTo(buffer, 0);
            int length = rtp.Length;
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Protect(buffer, ref length));
            Assert.Equal(SrtpStatus.Ok, ours.UnprotectRtp(buffer.AsSpan(0, length), out int plain));
            Assert.True(rtp.AsSpan().SequenceEqual(buffer.AsSpan(0, plain)), $"packet {i}");
        }

        Assert.Equal(PacketCount, ours.Counters.RtpUnprotected);
        Assert.Equal(0, ours.Counters.AuthenticationFailures);
    }

    [Fact]
    public void ProtectRtp_SameKeyAndPackets_ByteIdenticalToLibSrtp()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(5);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: false);
        var random = new Random(6);

        for (int i = 0; i < 3000; i++)
        {
            byte[] rtp = VariedRtp(i, random);
            byte[] mine = WithRoom(rtp, LibSrtpNative.MaxTrailerLength);
            byte[] theirs = WithRoom(rtp, LibSrtpNative.MaxTrailerLength);
            Assert.Equal(SrtpStatus.Ok, ours.ProtectRtp(mine, rtp.Length, out int myLength));
            int theirLength = rtp.Length;
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Protect(theirs, ref theirLength));
            Assert.Equal(theirLength, myLength);
            Assert.True(theirs.AsSpan(0, theirLength).SequenceEqual(mine.AsSpan(0, myLength)), $"packet {i}");
        }
    }

    [Fact]
    public void ProtectRtp_ResendOfLostPacket_LibSrtpUnprotectsIt()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(7);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: true);
        var random = new Random(8);
        var packets = Enumerable.Range(0, 40).Select(i => MakeRtp((ushort)(65_520 + i), 99, 100, random)).ToArray();
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];

        // Packet 10 (sequence 65530, ROC 0) is lost; the NACK resend comes after the wrap.
        for (int i = 0; i < packets.Length; i++)
        {
            packets[i].CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, ours.ProtectRtp(buffer, packets[i].Length, out int length));
            if (i != 10)
            {
                Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Unprotect(buffer, ref length));
            }
        }

        packets[10].CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, ours.ProtectRtp(buffer, packets[10].Length, out int resentLength));
        Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Unprotect(buffer, ref resentLength));
        Assert.True(packets[10].AsSpan().SequenceEqual(buffer.AsSpan(0, resentLength)));
    }

    [Fact]
    public void LibSrtpProtectRtp_TamperedOrReplayed_WeDropAndCount()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(9);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: false);
        var random = new Random(10);
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];
        int tampered = 0;
        int replayed = 0;

        for (int i = 0; i < 1000; i++)
        {
            byte[] rtp = VariedRtp(i, random);
            rtp.CopyTo(buffer, 0);
            int length = rtp.Length;
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.Protect(buffer, ref length));
            byte[] copy = buffer[..length];
            if (i % 7 == 3)
            {
                Assert.True(SrtpContext.TryGetRtpHeaderLength(rtp, out int headerLength));
                copy[random.Next(headerLength, length)] ^= (byte)(1 << random.Next(8));
                Assert.Equal(SrtpStatus.AuthenticationFailed, ours.UnprotectRtp(copy, out _));
                tampered++;
                continue;
            }

            Assert.Equal(SrtpStatus.Ok, ours.UnprotectRtp(copy, out _));
            if (i % 11 == 0)
            {
                Assert.Equal(SrtpStatus.ReplayDuplicate, ours.UnprotectRtp(buffer.AsSpan(0, length), out _));
                replayed++;
            }
        }

        Assert.Equal(tampered, ours.Counters.AuthenticationFailures);
        Assert.Equal(replayed, ours.Counters.ReplayDrops);
        Assert.Equal(1000 - tampered, ours.Counters.RtpUnprotected);
    }

    [Fact]
    public void ProtectRtcp_LibSrtpUnprotects()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(11);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: true);
        var random = new Random(12);
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];

        for (int i = 0; i < 1000; i++)
        {
            byte[] rtcp = MakeRtcp((uint)(1 + (i % 3)), random.Next(0, 60), random);
            rtcp.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, ours.ProtectRtcp(buffer, rtcp.Length, out int length));
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.UnprotectRtcp(buffer, ref length));
            Assert.True(rtcp.AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"packet {i}");
        }
    }

    [Fact]
    public void LibSrtpProtectRtcp_WeUnprotect_AndRejectReplayAndTamper()
    {
        (SrtpMasterKey key, byte[] keyAndSalt) = MasterKey(13);
        using var ours = new SrtpContext(key);
        using var libsrtp = LibSrtpSession.Create(keyAndSalt, inbound: false);
        var random = new Random(14);
        byte[] buffer = new byte[1500 + LibSrtpNative.MaxTrailerLength];

        for (int i = 0; i < 1000; i++)
        {
            byte[] rtcp = MakeRtcp((uint)(1 + (i % 3)), random.Next(0, 60), random);
            rtcp.CopyTo(buffer, 0);
            int length = rtcp.Length;
            Assert.Equal(LibSrtpNative.StatusOk, libsrtp.ProtectRtcp(buffer, ref length));
            byte[] copy = buffer[..length];
            byte[] tampered = buffer[..length];
            tampered[^1] ^= 0x10;

            Assert.Equal(SrtpStatus.AuthenticationFailed, ours.UnprotectRtcp(tampered, out _));
            Assert.Equal(SrtpStatus.Ok, ours.UnprotectRtcp(buffer.AsSpan(0, length), out int plain));
            Assert.True(rtcp.AsSpan().SequenceEqual(buffer.AsSpan(0, plain)), $"packet {i}");
            Assert.Equal(SrtpStatus.ReplayDuplicate, ours.UnprotectRtcp(copy, out _));
        }

        Assert.Equal(1000, ours.Counters.RtcpUnprotected);
        Assert.Equal(1000, ours.Counters.AuthenticationFailures);
        Assert.Equal(1000, ours.Counters.ReplayDrops);
    }
}
