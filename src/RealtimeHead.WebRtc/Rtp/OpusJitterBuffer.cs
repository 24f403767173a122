namespace RealtimeHead.WebRtc.Rtp;

/// <summary>What the jitter buffer hands the decoder at one playout step.</summary>
internal enum JitterBufferOutputKind
{
    /// <summary>The packet due now: decode it.</summary>
    Packet,

    /// <summary>
    /// The packet due now is missing: decode the in-band FEC of <see cref="JitterBufferOutput.Next"/> when
    /// present (RFC 6716 §2.1.7, libopus decode_fec = 1), otherwise conceal (PLC).
    /// </summary>
    Lost,
}

/// <summary>One playout step.</summary>
/// <param name="Kind">Packet or loss.</param>
/// <param name="ExtendedSequenceNumber">Extended sequence number of the step.</param>
/// <param name="Packet">The packet when <paramref name="Kind"/> is Packet.</param>
/// <param name="Next">
/// For a loss: the following packet if it is already buffered (for FEC). It stays buffered and is emitted
/// again at its own step.
/// </param>
internal readonly record struct JitterBufferOutput(JitterBufferOutputKind Kind, long ExtendedSequenceNumber, RtpPacket? Packet, RtpPacket? Next);

/// <summary>
/// Playout buffer for one inbound Opus stream. It starts playing <see cref="OpusJitterBufferOptions.TargetDelay"/>
/// after the first packet arrives and then emits one step per <see cref="OpusJitterBufferOptions.FrameDuration"/>:
/// the next packet in sequence order, or a loss marker. Late and duplicate packets are dropped and counted;
/// memory is bounded by <see cref="OpusJitterBufferOptions.Capacity"/>. Time comes from the caller
/// (<see cref="Push(RtpPacket, TimeSpan)"/>, <see cref="TryPop(TimeSpan, out JitterBufferOutput)"/>) or from a
/// <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
internal sealed class OpusJitterBuffer
{
    private readonly OpusJitterBufferOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly RtpPacket?[] _slots;
    private readonly long[] _slotSequence;
    private readonly SequenceUnwrapper _unwrapper = new();
    private readonly Lock _lock = new();
    private bool _started;
    private bool _playing;
    private bool _emittedSinceStart;
    private long _next;
    private TimeSpan _nextDue;
    private int _count;
    private int _consecutiveLost;

    public OpusJitterBuffer(OpusJitterBufferOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new OpusJitterBufferOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _slots = new RtpPacket?[_options.Capacity];
        _slotSequence = new long[_options.Capacity];
    }

    public long PacketsReceived { get; private set; }

    public long PacketsEmitted { get; private set; }

    /// <summary>Loss markers emitted.</summary>
    public long LostEmitted { get; private set; }

    /// <summary>Packets that arrived after their playout step.</summary>
    public long DroppedLate { get; private set; }

    public long DroppedDuplicate { get; private set; }

    /// <summary>Buffered packets discarded because a newer packet would not fit.</summary>
    public long DroppedOverflow { get; private set; }

    /// <summary>Buffered packets discarded when playout restarted after a sequence jump.</summary>
    public long DroppedOnRestart { get; private set; }

    /// <summary>Times playout restarted after a pause or a sequence jump.</summary>
    public long Restarts { get; private set; }

    /// <summary>Packets buffered now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Adds a packet arriving now (per the <see cref="TimeProvider"/>).</summary>
    public bool Push(RtpPacket packet) => Push(packet, Now);

    /// <summary>Adds a packet that arrived at <paramref name="arrival"/>; false when it was dropped.</summary>
    public bool Push(RtpPacket packet, TimeSpan arrival)
    {
        ArgumentNullException.ThrowIfNull(packet);
        lock (_lock)
        {
            PacketsReceived++;
            var sequence = _unwrapper.Unwrap(packet.SequenceNumber);
            if (!_started)
            {
                _started = true;
                Start(sequence, arrival);
            }
            else if (sequence < _next)
            {
                // Before the first step, an earlier packet that overtook nothing yet can still be played.
                if (!_emittedSinceStart && _next - sequence < _options.Capacity && NewestBuffered() - sequence < _options.Capacity)
                {
                    _next = sequence;
                }
                else
                {
                    DroppedLate++;
                    return false;
                }
            }
            else if (!_playing)
            {
                ClearSlots();
                Start(sequence, arrival);
                Restarts++;
            }
            else if (sequence - _next >= 2L * _options.Capacity)
            {
                // The sender jumped (restart, new encoder): no point reporting thousands of losses.
                ClearSlots();
                Start(sequence, arrival);
                Restarts++;
            }
            else if (sequence >= _next + _options.Capacity)
            {
                // Playout fell behind the sender: give up the oldest steps to stay bounded.
                var newNext = sequence - _options.Capacity + 1;
                for (var s = _next; s < newNext; s++)
                {
                    if (TakeSlot(s) is not null)
                    {
                        DroppedOverflow++;
                    }
                }

                _next = newNext;
            }

            var index = SlotIndex(sequence);
            if (_slots[index] is not null && _slotSequence[index] == sequence)
            {
                DroppedDuplicate++;
                return false;
            }

            _slots[index] = packet;
            _slotSequence[index] = sequence;
            _count++;
            return true;
        }
    }

    /// <summary>Takes the step due now (per the <see cref="TimeProvider"/>), if any.</summary>
    public bool TryPop(out JitterBufferOutput output) => TryPop(Now, out output);

    /// <summary>
    /// Takes the next step if it is due at <paramref name="now"/>. Call until it returns false: after a stall
    /// several steps may be due at once.
    /// </summary>
    public bool TryPop(TimeSpan now, out JitterBufferOutput output)
    {
        lock (_lock)
        {
            output = default;
            if (!_playing || now < _nextDue)
            {
                return false;
            }

            var packet = TakeSlot(_next);
            if (packet is not null)
            {
                output = new JitterBufferOutput(JitterBufferOutputKind.Packet, _next, packet, null);
                PacketsEmitted++;
                _consecutiveLost = 0;
            }
            else
            {
                if (_count == 0 && _consecutiveLost >= _options.MaxConcealedFrames)
                {
                    _playing = false; // Sender paused: rebuffer on the next packet.
                    return false;
                }

                output = new JitterBufferOutput(JitterBufferOutputKind.Lost, _next, null, PeekSlot(_next + 1));
                LostEmitted++;
                _consecutiveLost++;
            }

            _emittedSinceStart = true;
            _next++;
            _nextDue += _options.FrameDuration;
            return true;
        }
    }

    private void Start(long sequence, TimeSpan arrival)
    {
        _playing = true;
        _emittedSinceStart = false;
        _consecutiveLost = 0;
        _next = sequence;
        _nextDue = arrival + _options.TargetDelay;
    }

    // Extended numbers before the first packet are negative: keep the index in range.
    private int SlotIndex(long sequence) => (int)(((sequence % _slots.Length) + _slots.Length) % _slots.Length);

    private RtpPacket? PeekSlot(long sequence)
    {
        var index = SlotIndex(sequence);
        return _slotSequence[index] == sequence ? _slots[index] : null;
    }

    private RtpPacket? TakeSlot(long sequence)
    {
        var index = SlotIndex(sequence);
        var packet = _slots[index];
        if (packet is null || _slotSequence[index] != sequence)
        {
            return null;
        }

        _slots[index] = null;
        _count--;
        return packet;
    }

    private long NewestBuffered()
    {
        var newest = _next;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is not null && _slotSequence[i] > newest)
            {
                newest = _slotSequence[i];
            }
        }

        return newest;
    }

    private void ClearSlots()
    {
        DroppedOnRestart += _count;
        Array.Clear(_slots);
        _count = 0;
    }
}
