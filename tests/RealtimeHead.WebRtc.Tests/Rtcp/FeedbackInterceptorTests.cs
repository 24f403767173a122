using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Tests.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtcp;

public sealed class FeedbackInterceptorTests
{
    private static RtpInterceptorChain Chain(params RtpInterceptor[] interceptors) => new(interceptors, _ => { }, _ => { });

    [Fact]
    public void KeyframeRequest_PliAndFir_RaiseOncePerFirSequence()
    {
        var interceptor = new KeyframeRequestInterceptor();
        var raised = new List<uint>();
        interceptor.KeyframeRequested += raised.Add;
        var chain = Chain(interceptor);

        chain.ReceiveRtcp([new PictureLossIndication { SenderSsrc = 1, MediaSsrc = 10 }]);
        chain.ReceiveRtcp([new FullIntraRequest { SenderSsrc = 1, Entries = [new FirEntry(10, 5)] }]);
        chain.ReceiveRtcp([new FullIntraRequest { SenderSsrc = 1, Entries = [new FirEntry(10, 5)] }]); // Repeat of the same request.
        chain.ReceiveRtcp([new FullIntraRequest { SenderSsrc = 1, Entries = [new FirEntry(10, 6), new FirEntry(11, 5)] }]);

        Assert.Equal([10u, 10u, 10u, 11u], raised);
        Assert.Equal(1, interceptor.PliCount);
        Assert.Equal(3, interceptor.FirCount);
        Assert.Equal(1, interceptor.FirDuplicates);
    }

    [Fact]
    public void BandwidthEstimator_Remb_SetsTargetClampedToRange()
    {
        var time = new FakeTimeProvider();
        var estimator = new BandwidthEstimator(time, new BandwidthEstimatorOptions { MinBitrate = 200_000, MaxBitrate = 2_000_000, InitialBitrate = 1_000_000 });
        var targets = new List<int>();
        estimator.TargetBitrateChanged += targets.Add;
        var chain = Chain(estimator);

        chain.ReceiveRtcp([new Remb { Bitrate = 800_000, Ssrcs = [1] }]);
        chain.ReceiveRtcp([new Remb { Bitrate = 800_000, Ssrcs = [1] }]); // Unchanged: no event.
        chain.ReceiveRtcp([new Remb { Bitrate = 50_000_000, Ssrcs = [1] }]);
        chain.ReceiveRtcp([new Remb { Bitrate = 10_000, Ssrcs = [1] }]);

        Assert.Equal([800_000, 2_000_000, 200_000], targets);
    }

    [Fact]
    public void BandwidthEstimator_LossInReceiverReports_SteersWhenRembIsStale()
    {
        var time = new FakeTimeProvider();
        var estimator = new BandwidthEstimator(time, new BandwidthEstimatorOptions { MinBitrate = 100_000, MaxBitrate = 1_200_000, InitialBitrate = 1_000_000 }, new HashSet<uint> { 7 });
        var chain = Chain(estimator);
        static ReceiverReport Rr(byte fraction, uint ssrc = 7) => new() { Ssrc = 1, Reports = [new ReceptionReport(ssrc, fraction, 0, 0, 0, 0, 0)] };

        chain.ReceiveRtcp([Rr(0)]);
        Assert.Equal(1_050_000, estimator.TargetBitrate); // < 2 %: +5 %.

        chain.ReceiveRtcp([Rr(13)]); // 5 %: hold.
        Assert.Equal(1_050_000, estimator.TargetBitrate);

        chain.ReceiveRtcp([Rr(64)]); // 25 %: × (1 - 0.125).
        Assert.Equal(918_750, estimator.TargetBitrate);

        chain.ReceiveRtcp([Rr(255, ssrc: 99)]); // Not our stream: ignored.
        Assert.Equal(918_750, estimator.TargetBitrate);

        // A fresh REMB wins over loss until it times out.
        chain.ReceiveRtcp([new Remb { Bitrate = 500_000 }]);
        chain.ReceiveRtcp([Rr(0)]);
        Assert.Equal(500_000, estimator.TargetBitrate);
        time.Advance(TimeSpan.FromSeconds(5));
        chain.ReceiveRtcp([Rr(0)]);
        Assert.Equal(525_000, estimator.TargetBitrate);

        // Heavy loss for a long time bottoms out at the minimum; no loss climbs to the maximum.
        for (var i = 0; i < 100; i++)
        {
            chain.ReceiveRtcp([Rr(255)]);
        }

        Assert.Equal(100_000, estimator.TargetBitrate);
        for (var i = 0; i < 100; i++)
        {
            chain.ReceiveRtcp([Rr(0)]);
        }

        Assert.Equal(1_200_000, estimator.TargetBitrate);
    }

    [Fact]
    public void Pacer_KeyframeBurst_IsSpreadAtPacingRate()
    {
        var time = new FakeTimeProvider();
        var sentAt = new List<long>();
        var pacer = new Pacer(time, new PacerOptions { InitialBitrate = 1_000_000, PacingFactor = 2.5 });
        var chain = new RtpInterceptorChain([pacer], _ => sentAt.Add(time.GetTimestamp()), _ => { });
        Assert.Equal(2_500_000, pacer.PacingBitrate);

        // A 100-packet keyframe (1212 bytes each) handed over at once: 121 200 bytes at 312 500 byte/s ≈ 388 ms.
        for (var i = 0; i < 100; i++)
        {
            chain.SendRtp(new RtpPacket { SequenceNumber = (ushort)i, Payload = new byte[1200] });
        }

        Assert.InRange(sentAt.Count, 1, 2); // Only the initial burst budget leaves at once.
        for (var ms = 1; ms <= 500; ms++)
        {
            time.AdvanceMilliseconds(1);
            chain.Tick();
            if (ms == 100)
            {
                Assert.InRange(sentAt.Count, 26, 29); // 2 + 31 250 bytes / 1212.
            }
        }

        Assert.Equal(100, sentAt.Count);
        var lastSend = TimeSpan.FromTicks(sentAt[^1] - sentAt[0]);
        Assert.InRange(lastSend.TotalMilliseconds, 370, 400);

        // No 5 ms window carries more than the burst budget plus one packet.
        for (var i = 0; i < sentAt.Count; i++)
        {
            var inWindow = sentAt.Count(t => t >= sentAt[i] && t < sentAt[i] + TimeSpan.FromMilliseconds(5).Ticks);
            Assert.InRange(inWindow, 1, 3);
        }
    }

    [Fact]
    public void Pacer_QueueFull_DropsAndCounts()
    {
        var time = new FakeTimeProvider();
        var sent = 0;
        var pacer = new Pacer(time, new PacerOptions { InitialBitrate = 10_000, PacingFactor = 1, MaxQueuePackets = 10 });
        var chain = new RtpInterceptorChain([pacer], _ => sent++, _ => { });
        for (var i = 0; i < 30; i++)
        {
            chain.SendRtp(new RtpPacket { Payload = new byte[1200] });
        }

        Assert.Equal(2, sent); // The 1500-byte minimum burst lets a second packet overdraw it.
        Assert.Equal(10, pacer.QueueLength);
        Assert.Equal(18, pacer.Dropped);
    }

    [Fact]
    public void Pacer_BypassAndRateChange_AudioSkipsQueueAndRateFollowsTarget()
    {
        var time = new FakeTimeProvider();
        var sent = new List<byte>();
        var pacer = new Pacer(time, new PacerOptions { InitialBitrate = 10_000, PacingFactor = 1 }, packet => packet.PayloadType == 111);
        var chain = new RtpInterceptorChain([pacer], packet => sent.Add(packet.PayloadType), _ => { });
        for (var i = 0; i < 3; i++)
        {
            chain.SendRtp(new RtpPacket { PayloadType = 96, Payload = new byte[1400] });
        }

        chain.SendRtp(new RtpPacket { PayloadType = 111, Payload = new byte[100] });
        Assert.Equal([96, 96, 111], sent); // Budget spent after two video packets; audio passes the queue.

        pacer.SetTargetBitrate(4_000_000);
        Assert.Equal(4_000_000, pacer.PacingBitrate);
        time.AdvanceMilliseconds(5);
        chain.Tick();
        Assert.Equal([96, 96, 111, 96], sent);
    }

    [Fact]
    public void Chain_InterceptorsInOrder_ForwardOutboundAndBroadcastInbound()
    {
        var order = new List<string>();
        var first = new Recorder("a", order);
        var second = new Recorder("b", order);
        var chain = new RtpInterceptorChain([first, second], _ => order.Add("transport"), _ => { });
        chain.SendRtp(new RtpPacket());
        chain.ReceiveRtp(new RtpPacket());
        chain.ReceiveRtcp([new PictureLossIndication()]);
        chain.Tick();
        Assert.Equal(["a:send", "b:send", "transport", "a:rtp", "b:rtp", "a:rtcp", "b:rtcp", "a:tick", "b:tick"], order);
        Assert.Throws<InvalidOperationException>(() => new RtpInterceptorChain([first], _ => { }, _ => { }));
    }

    private sealed class Recorder(string name, List<string> order) : RtpInterceptor
    {
        public override void SendRtp(RtpPacket packet)
        {
            order.Add($"{name}:send");
            base.SendRtp(packet);
        }

        public override void OnInboundRtp(RtpPacket packet) => order.Add($"{name}:rtp");

        public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets) => order.Add($"{name}:rtcp");

        public override void OnTick() => order.Add($"{name}:tick");
    }
}
