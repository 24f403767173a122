using RealtimeHead.Pipeline.Sync;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests.Sync;

public sealed class LipSyncMonitorTests
{
    private readonly LipSyncMonitor _monitor = new(new FakeTimeProvider());

    [Fact]
    public void OnVideoSent_AudioAlreadySent_OffsetInterpolatedInsideTheAudioFrame()
    {
        _monitor.OnAudioSent(0, 960, Ms(1000));
        _monitor.OnAudioSent(960, 1920, Ms(1020));

        // Sample 1440 left at 1020 + 10 ms; the frame left at 1045 ms: lips 15 ms behind.
        Assert.Equal(15, _monitor.OnVideoSent(1440, Ms(1045))!.Value, 6);
        Assert.Equal(-30, _monitor.OnVideoSent(0, Ms(970))!.Value, 6);
    }

    [Fact]
    public void OnAudioSent_VideoWentFirst_CompletesThePendingMeasurement()
    {
        Assert.Null(_monitor.OnVideoSent(1920, Ms(500)));

        var offsets = _monitor.OnAudioSent(1920, 2880, Ms(520));

        Assert.Equal([-20.0], offsets);
    }

    [Fact]
    public void OnAudioSent_VideoOfAnInstantWithNoAudio_NeverMeasured()
    {
        Assert.Null(_monitor.OnVideoSent(1920, Ms(500)));

        Assert.Empty(_monitor.OnAudioSent(4800, 5760, Ms(560)));
        Assert.Empty(_monitor.OnAudioSent(1920, 2880, Ms(580))); // the pending frame was dropped when audio passed it
    }

    [Fact]
    public void Reset_ForgetsBothSides()
    {
        _monitor.OnAudioSent(0, 960, Ms(0));
        _monitor.Reset();

        Assert.Null(_monitor.OnVideoSent(480, Ms(10)));
    }

    private static long Ms(double milliseconds) => (long)(milliseconds * TimeSpan.TicksPerMillisecond);
}
