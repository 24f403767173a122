using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Tests.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtcp;

public sealed class NackTests
{
    private static RtpPacket Packet(uint ssrc, int sequence) => new()
    {
        Ssrc = ssrc,
        PayloadType = 96,
        SequenceNumber = (ushort)sequence,
        Timestamp = (uint)(sequence * 3000),
        Payload = BitConverter.GetBytes(sequence),
    };

    [Fact]
    public void NackResponder_NackForBufferedAndEvictedPackets_ResendsBufferedOnly()
    {
        var sent = new List<RtpPacket>();
        var responder = new NackResponder(new NackResponderOptions { BufferSize = 64 });
        var chain = new RtpInterceptorChain([responder], sent.Add, _ => { });
        for (var i = 0; i < 100; i++)
        {
            chain.SendRtp(Packet(7, 65500 + i)); // Crosses the sequence wrap.
        }

        sent.Clear();
        chain.ReceiveRtcp([GenericNack.FromSequenceNumbers(1, 7, [62, 2, 65500, 3])]);
        chain.ReceiveRtcp([GenericNack.FromSequenceNumbers(1, 8, [5])]); // Unknown SSRC.

        Assert.Equal([(ushort)2, (ushort)3, (ushort)62], sent.Select(p => p.SequenceNumber).Order());
        Assert.All(sent, packet => Assert.Equal(7u, packet.Ssrc));
        Assert.Equal(3, responder.Hits);
        Assert.Equal(2, responder.Misses); // 65500 was evicted; SSRC 8 never sent.
    }

    [Fact]
    public void NackGenerator_Gap_RequestsMissingThenRetriesThenGivesUp()
    {
        var time = new FakeTimeProvider();
        var nacks = new List<GenericNack>();
        var generator = new NackGenerator(time, new NackGeneratorOptions { SenderSsrc = 9, RetryInterval = TimeSpan.FromMilliseconds(50), MaxRetries = 2 });
        var chain = new RtpInterceptorChain([generator], _ => { }, packets => nacks.AddRange(packets.OfType<GenericNack>()));

        foreach (var sequence in new[] { 10, 11, 14, 13 })
        {
            chain.ReceiveRtp(Packet(5, sequence));
        }

        chain.Tick();
        var first = Assert.Single(nacks);
        Assert.Equal(9u, first.SenderSsrc);
        Assert.Equal(5u, first.MediaSsrc);
        Assert.Equal([(ushort)12], first.LostPackets()); // 13 arrived reordered before the tick.

        chain.Tick();
        time.AdvanceMilliseconds(49);
        chain.Tick();
        Assert.Single(nacks); // Not due again yet.

        time.AdvanceMilliseconds(1);
        chain.Tick();
        Assert.Equal(2, nacks.Count);

        time.AdvanceMilliseconds(50);
        chain.Tick();
        Assert.Equal(2, nacks.Count); // MaxRetries reached: dropped instead of asked a third time.
        Assert.Equal(1, generator.GaveUp);
        Assert.Equal(0, generator.MissingCount);
    }

    [Fact]
    public void NackGenerator_LatePacketArrives_StopsAskingAndCountsRecovery()
    {
        var time = new FakeTimeProvider();
        var nacks = new List<GenericNack>();
        var generator = new NackGenerator(time);
        var chain = new RtpInterceptorChain([generator], _ => { }, packets => nacks.AddRange(packets.OfType<GenericNack>()));
        chain.ReceiveRtp(Packet(5, 65535));
        chain.ReceiveRtp(Packet(5, 2)); // 0 and 1 missing, across the wrap.
        chain.Tick();
        Assert.Equal([(ushort)0, (ushort)1], nacks.Single().LostPackets());

        chain.ReceiveRtp(Packet(5, 0));
        chain.ReceiveRtp(Packet(5, 1));
        time.AdvanceMilliseconds(100);
        chain.Tick();
        Assert.Single(nacks);
        Assert.Equal(2, generator.Recovered);
    }

    [Fact]
    public void NackGenerator_HugeGap_DoesNotTrackIt()
    {
        var time = new FakeTimeProvider();
        var nacks = new List<RtcpPacket>();
        var generator = new NackGenerator(time, new NackGeneratorOptions { MaxMissing = 100 });
        var chain = new RtpInterceptorChain([generator], _ => { }, nacks.AddRange);
        chain.ReceiveRtp(Packet(5, 0));
        chain.ReceiveRtp(Packet(5, 1000));
        chain.Tick();
        Assert.Empty(nacks);
        Assert.Equal(999, generator.GaveUp);
    }

    /// <summary>
    /// Acceptance: "NACK recovers every packet of a stream under 10 % simulated loss". A sender with a
    /// NackResponder and a receiver with a NackGenerator talk over an in-memory link that loses 10 % of the
    /// datagrams each way (RTP, retransmissions and NACKs alike) with 20 ms one-way delay, on a fake clock.
    /// Everything crosses the link as bytes. The stream's first packet is delivered (a receiver can only NACK
    /// what follows something it got) and the stream continues after the measured packets, as media does,
    /// so losses at the end are detected too.
    /// </summary>
    [Fact]
    public void NackResponderAndGenerator_TenPercentLossBothWays_ReceiverGetsEveryPacket()
    {
        const int MeasuredPackets = 3000;
        const uint Ssrc = 0x1234_5678;
        var time = new FakeTimeProvider();
        var random = new Random(20240607);
        var link = new List<(long DeliverAt, Action Deliver)>();
        var delay = TimeSpan.FromMilliseconds(20);
        var dropped = 0;
        var datagrams = 0;

        void Send(Action deliver, bool lossless = false)
        {
            datagrams++;
            if (!lossless && random.NextDouble() < 0.10)
            {
                dropped++;
                return;
            }

            link.Add((time.GetTimestamp() + delay.Ticks, deliver));
        }

        var received = new HashSet<int>();
        RtpInterceptorChain? senderChain = null;
        var generator = new NackGenerator(time, new NackGeneratorOptions { RetryInterval = TimeSpan.FromMilliseconds(60), MaxRetries = 15 });
        var receiverChain = new RtpInterceptorChain(
            [generator],
            _ => { },
            rtcp =>
            {
                var bytes = RtcpCompound.Serialize(rtcp.ToList());
                Send(() =>
                {
                    Assert.True(RtcpCompound.TryParse(bytes, out var packets));
                    senderChain!.ReceiveRtcp(packets);
                });
            });
        var responder = new NackResponder();
        senderChain = new RtpInterceptorChain(
            [responder],
            packet =>
            {
                var bytes = packet.ToArray();
                Send(
                    () =>
                    {
                        Assert.True(RtpPacket.TryParse(bytes, out var parsed));
                        received.Add(BitConverter.ToInt32(parsed.Payload.Span));
                        receiverChain.ReceiveRtp(parsed);
                    },
                    lossless: received.Count == 0 && datagrams == 0);
            },
            _ => { });

        const int StepMs = 5;
        for (var tick = 0; tick < (MeasuredPackets + 100) * 4; tick++)
        {
            if (tick % 4 == 0)
            {
                var index = tick / 4;
                senderChain.SendRtp(Packet(Ssrc, 60_000 + index)); // Wraps the 16-bit sequence number.
            }

            time.AdvanceMilliseconds(StepMs);
            var now = time.GetTimestamp();
            var due = link.Where(item => item.DeliverAt <= now).ToList();
            link.RemoveAll(item => item.DeliverAt <= now);
            foreach (var item in due)
            {
                item.Deliver();
            }

            receiverChain.Tick();
            senderChain.Tick();
        }

        var missing = Enumerable.Range(60_000, MeasuredPackets).Where(i => !received.Contains(i)).ToList();
        Assert.Empty(missing);
        Assert.InRange(dropped, datagrams / 20, datagrams / 5); // The link really lost about 10 %.
        Assert.True(responder.Hits >= 250, $"hits {responder.Hits}");
        Assert.Equal(0, generator.GaveUp);
    }
}
