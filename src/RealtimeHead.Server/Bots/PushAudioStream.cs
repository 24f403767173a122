namespace RealtimeHead.Server.Bots;

/// <summary>
/// The audio of one push WebSocket, converted to 48 kHz mono: a bounded ring of samples. A writer that finds it full
/// waits (<see cref="WriteAsync"/>) until the pacer has played enough, so a bot pushing faster than real time is slowed
/// to real time with <see cref="Capacity"/> of lead, and nothing is dropped.
/// </summary>
internal sealed class PushAudioStream : VoiceFeed
{
    private readonly Lock _gate = new();
    private readonly short[] _ring;
    private readonly SemaphoreSlim _spaceFreed = new(0, 1);
    private readonly Action? _dataAdded;
    private int _head;
    private int _count;
    private bool _completed;
    private long _waits;
    private long _refused;

    /// <param name="capacity">Samples held at most.</param>
    /// <param name="dataAdded">Called after samples were added or the stream completed (wakes the pacer).</param>
    public PushAudioStream(int capacity, Action? dataAdded = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new short[capacity];
        _dataAdded = dataAdded;
    }

    public override VoiceSourceKind Kind => VoiceSourceKind.Push;

    /// <summary>Samples held at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>How many writes had to wait for room (the bot is ahead of real time by the whole buffer).</summary>
    public long BackpressureWaits => Interlocked.Read(ref _waits);

    /// <summary>Samples a write could not add because the stream had completed (the session ended under it).</summary>
    public long SamplesRefused => Interlocked.Read(ref _refused);

    public override int Available
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public override bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="samples"/>, waiting for room as long as the buffer is full. Blocks larger than the capacity
    /// are added in parts. Returns false when the stream was completed (or discarded) meanwhile.
    /// </summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        while (!samples.IsEmpty)
        {
            int written;
            lock (_gate)
            {
                if (_completed)
                {
                    Interlocked.Add(ref _refused, samples.Length);
                    return false;
                }

                written = Math.Min(samples.Length, _ring.Length - _count);
                var tail = (_head + _count) % _ring.Length;
                var first = Math.Min(written, _ring.Length - tail);
                samples.Span[..first].CopyTo(_ring.AsSpan(tail));
                samples.Span[first..written].CopyTo(_ring);
                _count += written;
            }

            if (written > 0)
            {
                samples = samples[written..];
                _dataAdded?.Invoke();
                continue;
            }

            // Full: the socket is not read until the pacer frees room (back-pressure reaches the bot through TCP).
            Interlocked.Increment(ref _waits);
            await _spaceFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>The socket closed: what is buffered still plays, then the stream ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        Signal();
        _dataAdded?.Invoke();
    }

    public override int Read(Span<short> destination)
    {
        int count;
        lock (_gate)
        {
            count = Math.Min(destination.Length, _count);
            var first = Math.Min(count, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(destination);
            _ring.AsSpan(0, count - first).CopyTo(destination[first..]);
            _head = (_head + count) % _ring.Length;
            _count -= count;
        }

        if (count > 0)
        {
            Signal();
        }

        return count;
    }

    public override int Discard()
    {
        int dropped;
        lock (_gate)
        {
            dropped = _count;
            _head = 0;
            _count = 0;
        }

        Signal();
        return dropped;
    }

    private void Signal()
    {
        try
        {
            _spaceFreed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending; the writer re-checks the room anyway.
        }
    }
}
