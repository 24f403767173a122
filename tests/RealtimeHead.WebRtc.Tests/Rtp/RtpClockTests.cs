using RealtimeHead.Media;
using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class RtpClockTests
{
    [Fact]
    public void ToRtpTimestamp_OneSecond_AudioAndVideoAdvanceByTheirRates()
    {
        const uint AudioOffset = 1000, VideoOffset = 0xFFFF_0000;
        Assert.Equal(AudioOffset + 48_000, RtpClock.ToRtpTimestamp(MediaClock.SampleRate, 48_000, AudioOffset));
        Assert.Equal(unchecked(VideoOffset + 90_000u), RtpClock.ToRtpTimestamp(MediaClock.SampleRate, 90_000, VideoOffset));
    }

    [Fact]
    public void ToRtpTimestamp_OneVideoFrameAt30Fps_Is3000Ticks()
    {
        // 1600 samples = 33.3 ms = one frame at 30 fps = 3000 ticks at 90 kHz.
        Assert.Equal(3000u, RtpClock.ToRtpTimestamp(1600, 90_000, 0));
    }

    [Fact]
    public void MediaPositionToTicks_TenHours_StaysExactAndWrapsTimestamp()
    {
        var tenHours = 10L * 3600 * MediaClock.SampleRate;
        Assert.Equal(10L * 3600 * 90_000, RtpClock.MediaPositionToTicks(tenHours, 90_000));
        Assert.Equal((uint)(10L * 3600 * 90_000 % (1L << 32)), RtpClock.ToRtpTimestamp(tenHours, 90_000, 0));
    }

    [Fact]
    public void MediaPositionToTicks_Negative_RoundsDown()
    {
        Assert.Equal(-2, RtpClock.MediaPositionToTicks(-1, 90_000));
        Assert.Equal(-90_000, RtpClock.MediaPositionToTicks(-48_000, 90_000));
    }

    [Fact]
    public void TicksToTimeSpan_RoundTrips()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(20), RtpClock.TicksToTimeSpan(960, 48_000));
        Assert.Equal(960, RtpClock.TimeSpanToTicks(TimeSpan.FromMilliseconds(20), 48_000));
    }
}
