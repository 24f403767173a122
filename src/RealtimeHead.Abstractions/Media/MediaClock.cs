namespace RealtimeHead.Media;

/// <summary>
/// The one media clock of a session: time is a count of audio samples at <see cref="SampleRate"/>
/// (48 kHz, the Opus/WebRTC rate). Every audio and video frame carries a position on this clock, so
/// audio and video timestamps can never drift apart (PRODUCT.md "One media clock").
/// </summary>
public static class MediaClock
{
    /// <summary>Samples per second of the media clock.</summary>
    public const int SampleRate = 48_000;

    /// <summary>RTP clock rate of video (RFC 3551 §5: 90 kHz for video payloads).</summary>
    public const int VideoRtpClockRate = 90_000;

    /// <summary>Converts a media-clock position to a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(long samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / SampleRate);

    /// <summary>Converts a <see cref="TimeSpan"/> to a media-clock position (rounded down).</summary>
    public static long FromTimeSpan(TimeSpan time) => time.Ticks * SampleRate / TimeSpan.TicksPerSecond;

    /// <summary>Converts a media-clock position to a 90 kHz video RTP timestamp offset.</summary>
    public static long ToVideoRtpTicks(long samples) => samples * VideoRtpClockRate / SampleRate;
}
