namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// A 64-bit NTP timestamp (RFC 3550 §4): seconds since 1900-01-01 UTC in the high 32 bits, fraction in the low.
/// </summary>
internal readonly record struct NtpTime(ulong Value)
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public uint Seconds => (uint)(Value >> 32);

    public uint Fraction => (uint)Value;

    /// <summary>The middle 32 bits, as carried in LSR (RFC 3550 §6.4.1).</summary>
    public uint Middle32 => (uint)(Value >> 16);

    public static NtpTime FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - Epoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return new NtpTime((seconds << 32) | fraction);
    }

    public DateTimeOffset ToDateTimeOffset()
    {
        var ticks = ((long)Seconds * TimeSpan.TicksPerSecond) + (long)((ulong)Fraction * TimeSpan.TicksPerSecond >> 32);
        return Epoch.AddTicks(ticks);
    }

    /// <summary>A duration in the 1/65536-second units of DLSR and of middle-32 differences.</summary>
    public static uint ToShortUnits(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : (uint)Math.Min(uint.MaxValue, duration.Ticks * 65536 / TimeSpan.TicksPerSecond);

    public static TimeSpan FromShortUnits(uint units) => TimeSpan.FromTicks((long)units * TimeSpan.TicksPerSecond / 65536);
}
