using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class Vp8PacketizerTests
{
    private static byte[] Frame(int length, bool keyframe, int seed)
    {
        var frame = new byte[length];
        new Random(seed).NextBytes(frame);
        frame[0] = (byte)(keyframe ? frame[0] & ~1 : frame[0] | 1); // RFC 7741 §4.3: P bit.
        return frame;
    }

    private static List<RtpPacket> ToRtp(RtpPacketSequencer sequencer, IReadOnlyList<byte[]> payloads, uint timestamp) =>
        payloads.Select((payload, i) => sequencer.Next(payload, timestamp, marker: i == payloads.Count - 1)).ToList();

    [Fact]
    public void Packetize_LargeFrame_SplitsUnderMtuWithStartBitOnFirst()
    {
        var packetizer = new Vp8Packetizer(new Vp8PacketizerOptions { InitialPictureId = 1000 });
        var payloads = packetizer.Packetize(Frame(50_000, keyframe: true, seed: 1));

        Assert.Equal(42, payloads.Count); // ceil(50000 / (1200 - 4)).
        Assert.All(payloads, payload => Assert.InRange(payload.Length, 1100, 1200));
        Assert.Equal(50_000 + (42 * 4), payloads.Sum(payload => payload.Length));
        for (var i = 0; i < payloads.Count; i++)
        {
            Assert.True(Vp8PayloadDescriptor.TryParse(payloads[i], out var descriptor, out var length));
            Assert.Equal(4, length);
            Assert.Equal(i == 0, descriptor.StartOfPartition);
            Assert.Equal((ushort)1000, descriptor.PictureId);
            Assert.True(descriptor.LongPictureId);
        }

        Assert.Equal(1001, packetizer.NextPictureId);
    }

    [Fact]
    public void Packetize_PictureIdAt32767_WrapsToZero()
    {
        var packetizer = new Vp8Packetizer(new Vp8PacketizerOptions { InitialPictureId = 0x7FFF });
        packetizer.Packetize(new byte[10]);
        var second = packetizer.Packetize(new byte[10]);
        Assert.True(Vp8PayloadDescriptor.TryParse(second[0], out var descriptor, out _));
        Assert.Equal((ushort)0, descriptor.PictureId);
    }

    [Fact]
    public void PacketizeThenDepacketize_ThreeFramesAcrossSequenceWrap_ReturnsIdenticalFrames()
    {
        var packetizer = new Vp8Packetizer(new Vp8PacketizerOptions { MaxPayloadSize = 500, InitialPictureId = 7 });
        var sequencer = new RtpPacketSequencer(0xCAFE, 96, 65_530);
        var depacketizer = new Vp8Depacketizer();
        var frames = new[] { Frame(30_001, true, 2), Frame(1, false, 3), Frame(4_567, false, 4) };
        var output = new List<Vp8Frame>();
        for (var f = 0; f < frames.Length; f++)
        {
            foreach (var packet in ToRtp(sequencer, packetizer.Packetize(frames[f]), (uint)(f * 3000)))
            {
                Assert.True(RtpPacket.TryParse(packet.ToArray(), out var received));
                if (depacketizer.Push(received) is { } frame)
                {
                    output.Add(frame);
                }
            }
        }

        Assert.Equal(3, output.Count);
        for (var f = 0; f < frames.Length; f++)
        {
            Assert.Equal(frames[f], output[f].Data);
            Assert.Equal((uint)(f * 3000), output[f].RtpTimestamp);
            Assert.Equal((ushort)(7 + f), output[f].PictureId);
            Assert.Equal(f == 0, output[f].IsKeyframe);
        }

        Assert.Equal(3, depacketizer.FramesCompleted);
        Assert.Equal(0, depacketizer.FramesDropped);
    }

    [Fact]
    public void Depacketize_MissingMiddlePacket_DropsThatFrameOnly()
    {
        var packetizer = new Vp8Packetizer(new Vp8PacketizerOptions { InitialPictureId = 1 });
        var sequencer = new RtpPacketSequencer(1, 96, 100);
        var depacketizer = new Vp8Depacketizer();
        var first = ToRtp(sequencer, packetizer.Packetize(Frame(6000, true, 5)), 0);
        var second = ToRtp(sequencer, packetizer.Packetize(Frame(3000, false, 6)), 3000);
        first.RemoveAt(2);

        var frames = first.Concat(second).Select(depacketizer.Push).OfType<Vp8Frame>().ToList();

        Assert.Single(frames);
        Assert.Equal(3000u, frames[0].RtpTimestamp);
        Assert.Equal(1, depacketizer.FramesDropped);
        Assert.Equal(1, depacketizer.MissingPackets);
    }

    [Fact]
    public void Depacketize_MissingFirstAndLastPackets_DropsBothFrames()
    {
        var packetizer = new Vp8Packetizer(new Vp8PacketizerOptions { InitialPictureId = 1 });
        var sequencer = new RtpPacketSequencer(1, 96, 0);
        var depacketizer = new Vp8Depacketizer();
        var z = ToRtp(sequencer, packetizer.Packetize(Frame(3000, true, 4)), 0);
        var a = ToRtp(sequencer, packetizer.Packetize(Frame(3000, false, 5)), 3000);
        var b = ToRtp(sequencer, packetizer.Packetize(Frame(3000, false, 6)), 6000);
        var c = ToRtp(sequencer, packetizer.Packetize(Frame(3000, false, 7)), 9000);
        a.RemoveAt(0); // Start of frame A lost: A never starts.
        b.RemoveAt(b.Count - 1); // Marker packet of frame B lost: B is abandoned when C starts.

        var frames = z.Concat(a).Concat(b).Concat(c).Select(depacketizer.Push).OfType<Vp8Frame>().ToList();

        Assert.Equal([0u, 9000u], frames.Select(frame => frame.RtpTimestamp));
        Assert.Equal(2, depacketizer.MissingPackets);
        Assert.Equal(1, depacketizer.FramesDropped);
    }

    [Fact]
    public void Depacketize_GarbagePayload_CountsMalformed()
    {
        var depacketizer = new Vp8Depacketizer();
        Assert.Null(depacketizer.Push(new RtpPacket { Payload = new byte[] { 0x80 }, Marker = true }));
        Assert.Null(depacketizer.Push(new RtpPacket { Payload = ReadOnlyMemory<byte>.Empty, SequenceNumber = 1 }));
        Assert.Equal(2, depacketizer.MalformedPackets);

        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var payload = new byte[random.Next(0, 20)];
            random.NextBytes(payload);
            depacketizer.Push(new RtpPacket { Payload = payload, SequenceNumber = (ushort)random.Next(), Marker = random.Next(2) == 0, Timestamp = (uint)random.Next(3) });
        }

        Assert.True(depacketizer.MalformedPackets > 2);
    }

    [Fact]
    public void Options_OutOfRange_ListsEveryProblem()
    {
        var options = new Vp8PacketizerOptions { MaxPayloadSize = 4, InitialPictureId = 40_000 };
        Assert.Equal(2, options.Validate().Count);
        Assert.Throws<ArgumentException>(() => new Vp8Packetizer(options));
    }
}
