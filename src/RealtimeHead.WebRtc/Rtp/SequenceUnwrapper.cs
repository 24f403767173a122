namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// Extends 16-bit RTP sequence numbers to 64 bits (RFC 3550 §A.1 "extended highest sequence number"):
/// a value is placed within ±32767 of the newest value seen, so reordering across the wrap stays ordered.
/// </summary>
internal sealed class SequenceUnwrapper
{
    private long _newest = -1;
    private bool _started;

    /// <summary>True once a value has been unwrapped.</summary>
    public bool HasValue => _started;

    /// <summary>The newest extended value seen.</summary>
    public long Newest => _newest;

    /// <summary>Returns the extended value of <paramref name="sequenceNumber"/>; the first value maps to itself.</summary>
    public long Unwrap(ushort sequenceNumber)
    {
        if (!_started)
        {
            _started = true;
            _newest = sequenceNumber;
            return sequenceNumber;
        }

        var result = _newest + (short)(ushort)(sequenceNumber - (ushort)_newest);
        if (result > _newest)
        {
            _newest = result;
        }

        return result;
    }

    /// <summary>Extends without recording the value as seen.</summary>
    public long Peek(ushort sequenceNumber) =>
        _started ? _newest + (short)(ushort)(sequenceNumber - (ushort)_newest) : sequenceNumber;

    /// <summary>Forgets all history; the next value maps to itself.</summary>
    public void Reset()
    {
        _started = false;
        _newest = -1;
    }
}

/// <summary>Extends 32-bit RTP timestamps to 64 bits the same way (within ±2^31 of the newest).</summary>
internal sealed class TimestampUnwrapper
{
    private long _newest;
    private bool _started;

    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _newest = timestamp;
            return timestamp;
        }

        var result = _newest + (int)(timestamp - (uint)_newest);
        if (result > _newest)
        {
            _newest = result;
        }

        return result;
    }
}

/// <summary>Modular comparisons of 16-bit sequence numbers and 32-bit timestamps (RFC 1982 serial arithmetic).</summary>
internal static class RtpSequence
{
    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/> modulo 2^16.</summary>
    public static bool IsNewer(ushort a, ushort b)
    {
        var diff = (ushort)(a - b);
        return diff != 0 && (diff < 0x8000 || (diff == 0x8000 && a > b));
    }

    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/> (positive when newer).</summary>
    public static int Distance(ushort from, ushort to) => (short)(ushort)(to - from);

    /// <summary>True when timestamp <paramref name="a"/> comes after <paramref name="b"/> modulo 2^32.</summary>
    public static bool IsNewerTimestamp(uint a, uint b)
    {
        var diff = a - b;
        return diff != 0 && (diff < 0x8000_0000u || (diff == 0x8000_0000u && a > b));
    }
}
