namespace RealtimeHead.Media;

/// <summary>
/// A block of interleaved 16-bit PCM audio with its position on the session's media clock.
/// </summary>
/// <param name="Samples">Interleaved samples, <c>SampleCount * Channels</c> long.</param>
/// <param name="SampleRate">Samples per second per channel (48 000 for WebRTC Opus).</param>
/// <param name="Channels">Channel count (1 or 2).</param>
/// <param name="MediaTimestamp">Position of the first sample on the media clock (<see cref="MediaClock"/> samples).</param>
public sealed record AudioFrame(short[] Samples, int SampleRate, int Channels, long MediaTimestamp)
{
    /// <summary>Samples per channel in this frame.</summary>
    public int SampleCount => Samples.Length / Channels;

    /// <summary>Duration of this frame.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((long)SampleCount * TimeSpan.TicksPerSecond / SampleRate);
}
