namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// The receiver's sliding replay window of RFC 3711 §3.3.2 over 48-bit SRTP or 31-bit SRTCP
/// indices: a bitmap of the last <see cref="Size"/> indices ending at the highest one received.
/// Checking and accepting are separate so a packet is only marked after it authenticates.
/// </summary>
internal sealed class ReplayWindow
{
    private readonly ulong[] _bits;
    private readonly int _size;
    private long _highest = -1;

    /// <param name="size">Window length in packets; a positive multiple of 64.</param>
    public ReplayWindow(int size)
    {
        if (size < 64 || size % 64 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The replay window is a positive multiple of 64 packets.");
        }

        _size = size;
        _bits = new ulong[size / 64];
    }

    /// <summary>Window length in packets.</summary>
    public int Size => _size;

    /// <summary>Highest accepted index, or -1 before the first.</summary>
    public long Highest => _highest;

    /// <summary>Whether <paramref name="index"/> may be accepted; does not change the window.</summary>
    public SrtpStatus Check(long index)
    {
        if (index > _highest)
        {
            return SrtpStatus.Ok;
        }

        if (index < 0 || _highest - index >= _size)
        {
            return SrtpStatus.ReplayTooOld;
        }

        return IsSet(index) ? SrtpStatus.ReplayDuplicate : SrtpStatus.Ok;
    }

    /// <summary>Marks an index that passed <see cref="Check"/> and authentication as received.</summary>
    public void Accept(long index)
    {
        if (index > _highest)
        {
            long advance = _highest < 0 ? _size : index - _highest;
            if (advance >= _size)
            {
                Array.Clear(_bits);
            }
            else
            {
                // Forget the slots the window slides over: they now stand for indices not yet seen.
                for (long i = _highest + 1; i <= index; i++)
                {
                    Clear(i);
                }
            }

            _highest = index;
        }

        Set(index);
    }

    private bool IsSet(long index)
    {
        int slot = (int)(index % _size);
        return (_bits[slot >> 6] & (1UL << (slot & 63))) != 0;
    }

    private void Set(long index)
    {
        int slot = (int)(index % _size);
        _bits[slot >> 6] |= 1UL << (slot & 63);
    }

    private void Clear(long index)
    {
        int slot = (int)(index % _size);
        _bits[slot >> 6] &= ~(1UL << (slot & 63));
    }
}
