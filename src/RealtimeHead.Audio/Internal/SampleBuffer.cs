namespace RealtimeHead.Audio.Internal;

/// <summary>
/// A growable window onto a sample stream addressed by absolute sample index: front-ends append what arrives, read
/// analysis windows by index and discard what no later window needs, so memory stays bounded by the longest window.
/// </summary>
internal sealed class SampleBuffer(int initialCapacity = 4096)
{
    private float[] _samples = new float[Math.Max(16, initialCapacity)];
    private int _offset;   // index in _samples of absolute sample Start
    private int _count;

    /// <summary>Absolute index of the oldest sample kept.</summary>
    public long Start { get; private set; }

    /// <summary>Absolute index one past the newest sample.</summary>
    public long End => Start + _count;

    /// <summary>Starts the stream at <paramref name="start"/> (may be negative for leading zero padding) with no samples.</summary>
    public void Clear(long start = 0)
    {
        Start = start;
        _offset = 0;
        _count = 0;
    }

    public void Append(ReadOnlySpan<float> samples)
    {
        EnsureSpace(samples.Length);
        samples.CopyTo(_samples.AsSpan(_offset + _count));
        _count += samples.Length;
    }

    public void AppendZeros(int count)
    {
        EnsureSpace(count);
        _samples.AsSpan(_offset + _count, count).Clear();
        _count += count;
    }

    /// <summary>Samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>), which must be kept.</summary>
    public ReadOnlySpan<float> Slice(long start, int length)
    {
        if (start < Start || start + length > End)
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start + length}) is outside the kept [{Start}, {End}).");
        return _samples.AsSpan(_offset + (int)(start - Start), length);
    }

    /// <summary>Forgets samples before <paramref name="index"/>.</summary>
    public void DiscardBefore(long index)
    {
        if (index <= Start) return;
        var drop = (int)Math.Min(index - Start, _count);
        _offset += drop;
        _count -= drop;
        Start += drop;
        if (_count == 0) _offset = 0;
    }

    private void EnsureSpace(int extra)
    {
        if (_offset + _count + extra <= _samples.Length) return;
        if (_count + extra <= _samples.Length / 2)
        {
            // Compact before growing: in steady state the kept window is constant and this never reallocates, and
            // compacting only while at most half full keeps the copying amortised O(1) per sample.
            _samples.AsSpan(_offset, _count).CopyTo(_samples);
            _offset = 0;
            return;
        }
        var grown = new float[Math.Max(_samples.Length * 2, _count + extra)];
        _samples.AsSpan(_offset, _count).CopyTo(grown);
        _samples = grown;
        _offset = 0;
    }
}
