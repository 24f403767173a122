using RealtimeHead.Pipeline.Sync;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests.Sync;

public sealed class PlayoutClockTests
{
    private readonly FakeTimeProvider _clock = new(5);

    [Fact]
    public void PlayoutTimestamp_IsCapturePlusDelay()
    {
        var start = _clock.GetTimestamp();
        var clock = Create(start, initialDelay: 150);

        Assert.Equal(start + Ms(1000), clock.CaptureTimestamp(48_000));
        Assert.Equal(start + Ms(1150), clock.PlayoutTimestamp(48_000));
        Assert.Equal(48_000, clock.MediaAt(start + Ms(1000)));
    }

    [Fact]
    public void ObserveArrival_Early_MovesAnchorBack_LateDoesNot()
    {
        var start = _clock.GetTimestamp();
        var clock = Create(start, initialDelay: 100);

        clock.ObserveArrival(960, start + Ms(60)); // late (network): no change
        Assert.Equal(start + Ms(20), clock.CaptureTimestamp(960));
        clock.ObserveArrival(96_000, start + Ms(1500)); // two seconds of media by 1.5 s: the peer's clock started earlier
        Assert.Equal(start + Ms(1500), clock.CaptureTimestamp(96_000));
    }

    [Fact]
    public void ObserveVideoLatency_RisesAtOnce_FallsOneStepPerFrame()
    {
        var clock = Create(_clock.GetTimestamp(), initialDelay: 100, window: 3);

        clock.ObserveVideoLatency(TimeSpan.FromMilliseconds(150));
        Assert.Equal(155, clock.Delay.TotalMilliseconds, 3);

        clock.ObserveVideoLatency(TimeSpan.FromMilliseconds(50));
        clock.ObserveVideoLatency(TimeSpan.FromMilliseconds(50));
        Assert.Equal(155, clock.Delay.TotalMilliseconds, 3); // 150 still in the window of 3
        clock.ObserveVideoLatency(TimeSpan.FromMilliseconds(50));
        Assert.Equal(154, clock.Delay.TotalMilliseconds, 3); // window now 50s: falls by 1 ms per frame
        for (var i = 0; i < 200; i++)
        {
            clock.ObserveVideoLatency(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(55, clock.Delay.TotalMilliseconds, 3);
    }

    [Fact]
    public void ObserveVideoLatency_BeyondMaximum_IsClamped()
    {
        var clock = Create(_clock.GetTimestamp(), initialDelay: 100);

        clock.ObserveVideoLatency(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(1), clock.Delay);
    }

    private PlayoutClock Create(long start, double initialDelay, int window = 50) =>
        new(_clock, start, TimeSpan.FromMilliseconds(initialDelay), TimeSpan.Zero, TimeSpan.FromSeconds(1),
            TimeSpan.FromMilliseconds(5), window, TimeSpan.FromMilliseconds(1));

    private static long Ms(double milliseconds) => (long)(milliseconds * TimeSpan.TicksPerMillisecond);
}
