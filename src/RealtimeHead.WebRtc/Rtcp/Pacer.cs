using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="Pacer"/>.</summary>
internal sealed record PacerOptions
{
    /// <summary>Pacing rate as a multiple of the target bitrate (libwebrtc uses 2.5). Default 2.5; range 1-10.</summary>
    public double PacingFactor { get; init; } = 2.5;

    /// <summary>Target bitrate before <see cref="Pacer.SetTargetBitrate"/>, bits/s. Default 1 Mbit/s; range 10 kbit/s-1 Gbit/s.</summary>
    public int InitialBitrate { get; init; } = 1_000_000;

    /// <summary>
    /// Longest burst: unused budget is capped at this much sending time, so after a pause packets do not all
    /// leave at once. Tick at least this often. Default 5 ms; range 1-100 ms.
    /// </summary>
    public TimeSpan BurstInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Packets queued at most; more are dropped and counted. Default 2048; range 1-100000.</summary>
    public int MaxQueuePackets { get; init; } = 2048;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(PacingFactor is >= 1 and <= 10))
        {
            errors.Add($"{nameof(PacingFactor)} is {PacingFactor}; use 1-10 (default 2.5).");
        }

        if (InitialBitrate is < 10_000 or > 1_000_000_000)
        {
            errors.Add($"{nameof(InitialBitrate)} is {InitialBitrate}; use 10000-1000000000 bit/s (default 1000000).");
        }

        if (BurstInterval < TimeSpan.FromMilliseconds(1) || BurstInterval > TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{nameof(BurstInterval)} is {BurstInterval.TotalMilliseconds} ms; use 1-100 ms (default 5).");
        }

        if (MaxQueuePackets is < 1 or > 100_000)
        {
            errors.Add($"{nameof(MaxQueuePackets)} is {MaxQueuePackets}; use 1-100000 (default 2048).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(PacerOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Spreads outbound RTP over time at <see cref="PacerOptions.PacingFactor"/> × the target bitrate (a leaky
/// bucket), so a keyframe of dozens of packets leaves in short bursts instead of overflowing router queues.
/// Packets leave in order on <see cref="RtpInterceptor.SendRtp"/> when budget remains, else on ticks.
/// </summary>
internal sealed class Pacer : RtpInterceptor
{
    /// <summary>A burst may always carry one full-size packet, however low the rate.</summary>
    private const int MinBurstBytes = 1500;

    private readonly PacerOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<RtpPacket, bool>? _bypass;
    private readonly Queue<RtpPacket> _queue = new();
    private readonly Lock _lock = new();
    private readonly Lock _sendLock = new();
    private double _bytesPerSecond;
    private double _budget;
    private long _lastRefill;
    private long _dropped;
    private long _sent;

    /// <param name="timeProvider">Clock of the bucket.</param>
    /// <param name="options">Settings.</param>
    /// <param name="bypass">Packets that skip the queue (e.g. audio, which is small and time-critical); null for none.</param>
    public Pacer(TimeProvider timeProvider, PacerOptions? options = null, Func<RtpPacket, bool>? bypass = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options ?? new PacerOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider;
        _bypass = bypass;
        _lastRefill = timeProvider.GetTimestamp();
        _bytesPerSecond = _options.InitialBitrate * _options.PacingFactor / 8;
        _budget = MaxBudget;
    }

    /// <summary>Packets dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Packets that left through the queue.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public int QueueLength
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Current pacing rate, bits/s.</summary>
    public int PacingBitrate
    {
        get
        {
            lock (_lock)
            {
                return (int)(_bytesPerSecond * 8);
            }
        }
    }

    private double MaxBudget => Math.Max(MinBurstBytes, _bytesPerSecond * _options.BurstInterval.TotalSeconds);

    /// <summary>Sets the target bitrate (from the bandwidth estimator); pacing runs at the factor times this.</summary>
    public void SetTargetBitrate(int bitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bitsPerSecond, 0);
        lock (_lock)
        {
            Refill(_time.GetTimestamp());
            _bytesPerSecond = bitsPerSecond * _options.PacingFactor / 8;
            _budget = Math.Min(_budget, MaxBudget);
        }
    }

    public override void SendRtp(RtpPacket packet)
    {
        if (_bypass?.Invoke(packet) == true)
        {
            ForwardRtp(packet);
            return;
        }

        lock (_lock)
        {
            if (_queue.Count >= _options.MaxQueuePackets)
            {
                _dropped++;
                return;
            }

            _queue.Enqueue(packet);
        }

        Drain();
    }

    public override void OnTick() => Drain();

    private void Drain()
    {
        // One drainer at a time keeps packets in queue order on the wire.
        lock (_sendLock)
        {
            while (true)
            {
                RtpPacket packet;
                lock (_lock)
                {
                    Refill(_time.GetTimestamp());
                    if (_budget <= 0 || !_queue.TryDequeue(out packet!))
                    {
                        return;
                    }

                    // The budget may go negative by one packet: the next burst waits for it to refill.
                    _budget -= packet.GetSerializedLength();
                    _sent++;
                }

                ForwardRtp(packet);
            }
        }
    }

    private void Refill(long now)
    {
        var elapsed = (now - _lastRefill) / (double)_time.TimestampFrequency;
        _lastRefill = now;
        _budget = Math.Min(MaxBudget, _budget + (elapsed * _bytesPerSecond));
    }
}
