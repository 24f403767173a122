using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class OpusJitterBufferTests
{
    private static readonly OpusJitterBufferOptions Options = new() { TargetDelay = TimeSpan.FromMilliseconds(60) };

    private static RtpPacket Packet(int sequence) => new()
    {
        PayloadType = 111,
        SequenceNumber = (ushort)sequence,
        Timestamp = (uint)(sequence * 960),
        Ssrc = 42,
        Payload = new byte[] { (byte)sequence },
    };

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Pops every step due up to <paramref name="now"/>, as "P123" for a packet or "L123" for a loss.</summary>
    private static List<string> PopAll(OpusJitterBuffer buffer, TimeSpan now)
    {
        var steps = new List<string>();
        while (buffer.TryPop(now, out var output))
        {
            steps.Add(output.Kind == JitterBufferOutputKind.Packet
                ? $"P{output.Packet!.SequenceNumber}"
                : $"L{output.ExtendedSequenceNumber}" + (output.Next is { } next ? $">{next.SequenceNumber}" : ""));
        }

        return steps;
    }

    [Fact]
    public void TryPop_InOrder_HoldsTargetDelayThenOnePacketPer20Ms()
    {
        var buffer = new OpusJitterBuffer(Options);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(buffer.Push(Packet(100 + i), Ms(i * 20)));
        }

        Assert.Empty(PopAll(buffer, Ms(59.9)));
        Assert.Equal(["P100"], PopAll(buffer, Ms(60)));
        Assert.Empty(PopAll(buffer, Ms(79)));
        Assert.Equal(["P101"], PopAll(buffer, Ms(80)));
        Assert.Equal(["P102", "P103", "P104"], PopAll(buffer, Ms(140)));
        Assert.Equal(5, buffer.PacketsEmitted);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void TryPop_Reordered_EmitsInSequenceOrder()
    {
        var buffer = new OpusJitterBuffer(Options);
        buffer.Push(Packet(100), Ms(0));
        buffer.Push(Packet(103), Ms(10));
        buffer.Push(Packet(102), Ms(20));
        buffer.Push(Packet(101), Ms(30));

        Assert.Equal(["P100", "P101", "P102", "P103"], PopAll(buffer, Ms(120)));
        Assert.Equal(0, buffer.LostEmitted);
    }

    [Fact]
    public void Push_EarlierPacketBeforeFirstStep_IsStillPlayed()
    {
        var buffer = new OpusJitterBuffer(Options);
        buffer.Push(Packet(11), Ms(0));
        Assert.True(buffer.Push(Packet(10), Ms(5)));
        Assert.Equal(["P10", "P11"], PopAll(buffer, Ms(80)));
    }

    [Fact]
    public void TryPop_Gap_ReportsLossWithNextPacketForFec()
    {
        var buffer = new OpusJitterBuffer(Options);
        foreach (var sequence in new[] { 100, 101, 103, 105 })
        {
            buffer.Push(Packet(sequence), Ms((sequence - 100) * 20));
        }

        // 102 lost with 103 buffered (FEC source); 104 lost with 105 buffered.
        Assert.Equal(["P100", "P101", "L102>103", "P103", "L104>105", "P105"], PopAll(buffer, Ms(160)));
        Assert.Equal(2, buffer.LostEmitted);
    }

    [Fact]
    public void TryPop_LossWithoutNextPacket_HasNoFecSource()
    {
        var buffer = new OpusJitterBuffer(Options);
        buffer.Push(Packet(1), Ms(0));
        buffer.Push(Packet(4), Ms(5));
        Assert.Equal(["P1", "L2", "L3>4", "P4"], PopAll(buffer, Ms(120)));
    }

    [Fact]
    public void Push_LateAndDuplicate_AreDroppedAndCounted()
    {
        var buffer = new OpusJitterBuffer(Options);
        buffer.Push(Packet(100), Ms(0));
        buffer.Push(Packet(102), Ms(20));
        Assert.Equal(["P100", "L101>102"], PopAll(buffer, Ms(80)));

        Assert.False(buffer.Push(Packet(101), Ms(81))); // Its step has passed.
        Assert.False(buffer.Push(Packet(100), Ms(82)));
        Assert.False(buffer.Push(Packet(102), Ms(83))); // Already buffered.

        Assert.Equal(2, buffer.DroppedLate);
        Assert.Equal(1, buffer.DroppedDuplicate);
        Assert.Equal(["P102"], PopAll(buffer, Ms(100)));
    }

    [Fact]
    public void Push_FarAheadOfPlayout_StaysWithinCapacity()
    {
        var buffer = new OpusJitterBuffer(Options with { Capacity = 4 });
        for (var i = 0; i < 8; i++)
        {
            buffer.Push(Packet(100 + i), Ms(i));
        }

        Assert.Equal(4, buffer.Count);
        Assert.Equal(4, buffer.DroppedOverflow);
        Assert.Equal(["P104", "P105", "P106", "P107"], PopAll(buffer, Ms(120)));
    }

    [Fact]
    public void TryPop_SenderPauses_ConcealsBoundedThenRebuffers()
    {
        var buffer = new OpusJitterBuffer(Options with { MaxConcealedFrames = 3 });
        buffer.Push(Packet(1), Ms(0));
        Assert.Equal(["P1", "L2", "L3", "L4"], PopAll(buffer, Ms(1000)));

        buffer.Push(Packet(50), Ms(1000));
        Assert.Empty(PopAll(buffer, Ms(1059)));
        Assert.Equal(["P50"], PopAll(buffer, Ms(1060)));
        Assert.Equal(1, buffer.Restarts);
    }

    [Fact]
    public void Push_SequenceJump_RestartsInsteadOfReportingLosses()
    {
        var buffer = new OpusJitterBuffer(Options);
        buffer.Push(Packet(1), Ms(0));
        Assert.Equal(["P1"], PopAll(buffer, Ms(60)));
        buffer.Push(Packet(30_000), Ms(70));
        Assert.Equal(["P30000"], PopAll(buffer, Ms(130)));
        Assert.Equal(1, buffer.Restarts);
        Assert.Equal(0, buffer.LostEmitted);
    }

    [Fact]
    public void TryPop_AcrossSequenceWrap_KeepsOrder()
    {
        var buffer = new OpusJitterBuffer(Options);
        foreach (var sequence in new[] { 65534, 0, 65535, 1 })
        {
            buffer.Push(Packet(sequence), Ms(0));
        }

        Assert.Equal(["P65534", "P65535", "P0", "P1"], PopAll(buffer, Ms(120)));
    }

    [Fact]
    public void TryPop_DrivenByTimeProvider_UsesItsClock()
    {
        var time = new FakeTimeProvider();
        var buffer = new OpusJitterBuffer(Options, time);
        buffer.Push(Packet(7));
        time.AdvanceMilliseconds(20);
        buffer.Push(Packet(8));
        time.AdvanceMilliseconds(39);
        Assert.False(buffer.TryPop(out _));
        time.AdvanceMilliseconds(1);
        Assert.True(buffer.TryPop(out var first));
        Assert.Equal(7, first.Packet!.SequenceNumber);
        Assert.False(buffer.TryPop(out _));
        time.AdvanceMilliseconds(20);
        Assert.True(buffer.TryPop(out var second));
        Assert.Equal(8, second.Packet!.SequenceNumber);
    }

    [Fact]
    public void Push_RandomArrivals_NeverExceedsCapacityOrThrows()
    {
        var random = new Random(99);
        var buffer = new OpusJitterBuffer(Options with { Capacity = 16 });
        var now = TimeSpan.Zero;
        var emitted = new List<long>();
        for (var i = 0; i < 5000; i++)
        {
            now += Ms(random.Next(0, 25));
            buffer.Push(Packet(random.Next(0, 65536)), now);
            Assert.InRange(buffer.Count, 0, 16);
            while (buffer.TryPop(now, out var output))
            {
                emitted.Add(output.ExtendedSequenceNumber);
            }
        }

        Assert.NotEmpty(emitted);
        Assert.Equal(buffer.PacketsReceived, buffer.PacketsEmitted + buffer.DroppedLate + buffer.DroppedDuplicate + buffer.DroppedOverflow + buffer.DroppedOnRestart + buffer.Count);
        Assert.True(buffer.Restarts > 0);
    }

    [Fact]
    public void Options_OutOfRange_ListsEveryProblem()
    {
        var options = new OpusJitterBufferOptions
        {
            TargetDelay = TimeSpan.FromSeconds(-1),
            FrameDuration = TimeSpan.Zero,
            Capacity = 1,
            MaxConcealedFrames = 0,
        };
        Assert.Equal(4, options.Validate().Count);
        Assert.Throws<ArgumentException>(() => new OpusJitterBuffer(options));
    }
}
