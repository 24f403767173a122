namespace RealtimeHead.WebRtc.Tests.Rtp;

/// <summary>
/// A TimeProvider that moves only when a test calls <see cref="Advance"/>. It starts at an odd wall-clock time
/// and a large monotonic timestamp so code cannot rely on either starting at zero.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset? start = null) : TimeProvider
{
    private DateTimeOffset _utcNow = start ?? new DateTimeOffset(2031, 7, 14, 3, 25, 41, 917, TimeSpan.Zero).AddTicks(1234);
    private long _timestamp = 987_654_321_987;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _utcNow;

    public override long GetTimestamp() => _timestamp;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _utcNow += delta;
        _timestamp += delta.Ticks;
    }

    public void AdvanceMilliseconds(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
