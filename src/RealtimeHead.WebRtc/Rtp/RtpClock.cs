using RealtimeHead.Media;

namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// Maps positions of the session's one media clock (<see cref="MediaClock"/>, 48 kHz samples) to RTP
/// timestamps. Audio (48 kHz) and video (90 kHz) derive their timestamps from the same position, so a
/// sender report taken at one instant gives the browser a consistent NTP/RTP pair for both (RFC 3550 §6.4.1).
/// </summary>
internal static class RtpClock
{
    /// <summary>RTP timestamp of <paramref name="mediaPosition"/> for a stream with the given clock rate and random offset (RFC 3550 §5.1).</summary>
    public static uint ToRtpTimestamp(long mediaPosition, int clockRate, uint offset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(clockRate, 0);
        return unchecked(offset + (uint)(ulong)MediaPositionToTicks(mediaPosition, clockRate));
    }

    /// <summary>Media-clock samples converted to ticks of <paramref name="clockRate"/>, rounded toward negative infinity.</summary>
    public static long MediaPositionToTicks(long mediaPosition, int clockRate)
    {
        // Int128 keeps hours-long sessions exact; floor division keeps negative positions monotonic.
        Int128 product = (Int128)mediaPosition * clockRate;
        var quotient = product / MediaClock.SampleRate;
        if (product < 0 && quotient * MediaClock.SampleRate != product)
        {
            quotient--;
        }

        return (long)quotient;
    }

    /// <summary>Duration of <paramref name="ticks"/> RTP ticks at <paramref name="clockRate"/>.</summary>
    public static TimeSpan TicksToTimeSpan(long ticks, int clockRate) =>
        TimeSpan.FromTicks((long)((Int128)ticks * TimeSpan.TicksPerSecond / clockRate));

    /// <summary>A <see cref="TimeSpan"/> in RTP ticks at <paramref name="clockRate"/> (rounded down).</summary>
    public static long TimeSpanToTicks(TimeSpan time, int clockRate) =>
        (long)((Int128)time.Ticks * clockRate / TimeSpan.TicksPerSecond);
}
