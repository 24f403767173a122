using RealtimeHead.Media;
using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Tests.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtcp;

public sealed class ReportTests
{
    private const uint AudioSsrc = 0xA0D10, VideoSsrc = 0x71DE0;
    private const uint AudioOffset = 0xFFFF_F000, VideoOffset = 123_456_789;

    [Fact]
    public void SenderReport_TwoStreams_ReportSameMediaInstantOnNtpAndRtp()
    {
        var time = new FakeTimeProvider();
        var start = time.GetTimestamp();
        const long StartPosition = 1_000_000;

        // The session's media clock: position advances with wall time from StartPosition.
        long MediaNow() => StartPosition + MediaClock.FromTimeSpan(time.GetElapsedTime(start));

        var reports = new List<IReadOnlyList<RtcpPacket>>();
        var interceptor = new SenderReportInterceptor(time, new SenderReportOptions { Cname = "session-cname" }, MediaNow);
        interceptor.AddStream(AudioSsrc, 48_000, AudioOffset);
        interceptor.AddStream(VideoSsrc, 90_000, VideoOffset);
        var chain = new RtpInterceptorChain([interceptor], _ => { }, reports.Add);

        chain.Tick();
        Assert.Empty(reports); // Nothing sent yet: no SR (RFC 3550 §6.4).

        for (var i = 0; i < 50; i++)
        {
            chain.SendRtp(new RtpPacket { Ssrc = AudioSsrc, SequenceNumber = (ushort)i, Payload = new byte[80], PaddingSize = 4 });
        }

        for (var i = 0; i < 10; i++)
        {
            chain.SendRtp(new RtpPacket { Ssrc = VideoSsrc, SequenceNumber = (ushort)i, Payload = new byte[1000] });
        }

        time.AdvanceMilliseconds(1234.5);
        chain.Tick();

        var compound = Assert.Single(reports);
        var srs = compound.OfType<SenderReport>().ToDictionary(sr => sr.Ssrc);
        var expectedNtp = NtpTime.FromDateTimeOffset(time.GetUtcNow());
        var position = MediaNow();
        Assert.Equal(StartPosition + 59_256, position); // 1.2345 s × 48 kHz.

        var audio = srs[AudioSsrc];
        Assert.Equal(expectedNtp, audio.NtpTimestamp);
        Assert.Equal(unchecked(AudioOffset + (uint)position), audio.RtpTimestamp);
        Assert.Equal(50u, audio.PacketCount);
        Assert.Equal(4000u, audio.OctetCount); // Payload only, no header or padding.

        var video = srs[VideoSsrc];
        Assert.Equal(expectedNtp, video.NtpTimestamp);
        Assert.Equal(VideoOffset + (uint)(position * 90_000 / 48_000), video.RtpTimestamp);
        Assert.Equal(10u, video.PacketCount);
        Assert.Equal(10_000u, video.OctetCount);

        // Both timestamps, less their offsets, name the same media instant.
        Assert.Equal((double)unchecked(audio.RtpTimestamp - AudioOffset) / 48_000, (double)(video.RtpTimestamp - VideoOffset) / 90_000, 4);

        var sdes = Assert.Single(compound.OfType<SourceDescription>());
        Assert.Equal([VideoSsrc, AudioSsrc], sdes.Chunks.Select(c => c.Ssrc).Order());
        Assert.All(sdes.Chunks, c => Assert.Equal("session-cname", c.Items.Single().Text));

        time.AdvanceMilliseconds(999);
        chain.Tick();
        Assert.Single(reports); // Interval not over.
        time.AdvanceMilliseconds(1);
        chain.Tick();
        Assert.Equal(2, reports.Count);
    }

    [Fact]
    public void SenderReport_EchoedInReceiverReport_MeasuresRoundTrip()
    {
        var time = new FakeTimeProvider();
        var reports = new List<IReadOnlyList<RtcpPacket>>();
        var interceptor = new SenderReportInterceptor(time, new SenderReportOptions { Cname = "c" }, () => 0);
        interceptor.AddStream(VideoSsrc, 90_000, 0);
        var chain = new RtpInterceptorChain([interceptor], _ => { }, reports.Add);
        chain.SendRtp(new RtpPacket { Ssrc = VideoSsrc, Payload = new byte[10] });
        chain.Tick();
        var sr = reports.Single().OfType<SenderReport>().Single();

        // The remote held the SR for 100 ms; the network took 30 ms each way.
        time.AdvanceMilliseconds(160);
        var dlsr = NtpTime.ToShortUnits(TimeSpan.FromMilliseconds(100));
        chain.ReceiveRtcp([new ReceiverReport { Ssrc = 1, Reports = [new ReceptionReport(VideoSsrc, 0, 0, 0, 0, sr.NtpTimestamp.Middle32, dlsr)] }]);

        Assert.NotNull(interceptor.RoundTripTime);
        Assert.Equal(60, interceptor.RoundTripTime!.Value.TotalMilliseconds, 0.1);
    }

    [Fact]
    public void ReceiverReport_LossAndWrap_ReportsRfc3550Counters()
    {
        var time = new FakeTimeProvider();
        var reports = new List<ReceiverReport>();
        var interceptor = new ReceiverReportInterceptor(time, new ReceiverReportOptions { SenderSsrc = 77 }, _ => 48_000);
        var chain = new RtpInterceptorChain([interceptor], _ => { }, packets => reports.AddRange(packets.OfType<ReceiverReport>()));

        // 100 packets from 65500 across the wrap; 10th, 20th and 21st lost.
        for (var i = 0; i < 100; i++)
        {
            if (i is not (10 or 20 or 21))
            {
                chain.ReceiveRtp(new RtpPacket { Ssrc = 5, PayloadType = 111, SequenceNumber = (ushort)(65500 + i), Timestamp = (uint)(i * 960) });
            }

            time.AdvanceMilliseconds(20);
        }

        // The sender's SR arrives; our report goes out 250 ms later.
        var srNtp = new NtpTime(0x0000_1234_5678_0000);
        chain.ReceiveRtcp([new SenderReport { Ssrc = 5, NtpTimestamp = srNtp }]);
        time.AdvanceMilliseconds(250);
        chain.Tick();

        var block = reports.Single().Reports.Single();
        Assert.Equal(77u, reports.Single().Ssrc);
        Assert.Equal(5u, block.Ssrc);
        Assert.Equal(3, block.CumulativeLost);
        Assert.Equal(7, block.FractionLost); // 3 / 100 × 256 = 7.68, truncated.
        Assert.Equal(0x0001_003Fu, block.ExtendedHighestSequenceNumber); // 65599 = one cycle + 63.
        Assert.Equal(0x1234_5678u, block.LastSenderReport);
        Assert.Equal(16_384u, block.DelaySinceLastSenderReport); // 250 ms in 1/65536 s.
        Assert.Equal(0u, block.Jitter); // Perfectly regular arrivals.

        // Second interval: 50 more packets, 5 lost: fraction covers only this interval.
        for (var i = 100; i < 150; i++)
        {
            if (i % 10 != 0)
            {
                chain.ReceiveRtp(new RtpPacket { Ssrc = 5, PayloadType = 111, SequenceNumber = (ushort)(65500 + i), Timestamp = (uint)(i * 960) });
            }
        }

        time.AdvanceMilliseconds(1000);
        chain.Tick();
        var second = reports[1].Reports.Single();
        Assert.Equal(25, second.FractionLost); // 5 / 50 × 256 = 25.6.
        Assert.Equal(8, second.CumulativeLost);
    }

    [Fact]
    public void ReceiverReport_AlternatingArrivalJitter_FollowsRfc3550EstimatorA8()
    {
        var time = new FakeTimeProvider();
        var interceptor = new ReceiverReportInterceptor(time, null, _ => 48_000);
        var chain = new RtpInterceptorChain([interceptor], _ => { }, _ => { });

        // Packets every 20 ms of media; arrivals alternate 5 ms early and 5 ms late, so |D| = 10 ms = 480 ticks.
        var elapsed = 0.0;
        for (var i = 0; i < 200; i++)
        {
            var arrival = (i * 20.0) + (i % 2 == 0 ? -5 : 5) + 5;
            time.AdvanceMilliseconds(arrival - elapsed);
            elapsed = arrival;
            chain.ReceiveRtp(new RtpPacket { Ssrc = 9, PayloadType = 111, SequenceNumber = (ushort)i, Timestamp = (uint)(i * 960) });
        }

        // J_n = J_(n-1) + (480 - J_(n-1)) / 16 over 199 differences: 480 × (1 - (15/16)^199).
        var expected = 480 * (1 - Math.Pow(15.0 / 16, 199));
        var block = interceptor.PeekReport(9)!.Value;
        Assert.InRange(block.Jitter, (uint)expected - 1, (uint)expected);
        Assert.Equal(479u, block.Jitter);
    }

    [Fact]
    public void ReceiverReport_BeforeInterval_SendsNothing()
    {
        var time = new FakeTimeProvider();
        var sent = 0;
        var chain = new RtpInterceptorChain([new ReceiverReportInterceptor(time, null, _ => 90_000)], _ => { }, _ => sent++);
        chain.ReceiveRtp(new RtpPacket { Ssrc = 1, SequenceNumber = 1 });
        time.AdvanceMilliseconds(999);
        chain.Tick();
        Assert.Equal(0, sent);
        time.AdvanceMilliseconds(1);
        chain.Tick();
        Assert.Equal(1, sent);
    }

    [Fact]
    public void ReceiverReport_ManySsrcsAndBye_TracksBoundedSetAndForgetsLeavers()
    {
        var time = new FakeTimeProvider();
        var reports = new List<ReceiverReport>();
        var interceptor = new ReceiverReportInterceptor(time, null, _ => 90_000);
        var chain = new RtpInterceptorChain([interceptor], _ => { }, packets => reports.AddRange(packets.OfType<ReceiverReport>()));
        for (uint ssrc = 0; ssrc < 1000; ssrc++)
        {
            chain.ReceiveRtp(new RtpPacket { Ssrc = ssrc, SequenceNumber = 1 });
        }

        chain.ReceiveRtcp([new Goodbye { Sources = [0, 1] }]);
        time.AdvanceMilliseconds(1000);
        chain.Tick();

        var blocks = reports.SelectMany(r => r.Reports).ToList();
        Assert.Equal(ReceiverReportInterceptor.MaxStreams - 2, blocks.Count);
        Assert.Equal([31, 31], reports.Select(r => r.Reports.Count)); // RFC 3550 §6.4: at most 31 blocks per RR.
    }

    [Fact]
    public void Options_Invalid_ListsProblems()
    {
        Assert.Equal(2, new SenderReportOptions { Interval = TimeSpan.Zero, Cname = "" }.Validate().Count);
        Assert.Throws<ArgumentException>(() => new SenderReportInterceptor(new FakeTimeProvider(), new SenderReportOptions(), () => 0));
        Assert.Single(new ReceiverReportOptions { Interval = TimeSpan.FromHours(1) }.Validate());
    }
}
