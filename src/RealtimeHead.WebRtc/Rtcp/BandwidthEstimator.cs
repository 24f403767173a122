namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="BandwidthEstimator"/>.</summary>
internal sealed record BandwidthEstimatorOptions
{
    /// <summary>Lowest target, bits/s. Default 100 kbit/s; range 10 kbit/s-100 Mbit/s, at most <see cref="MaxBitrate"/>.</summary>
    public int MinBitrate { get; init; } = 100_000;

    /// <summary>Highest target, bits/s. Default 2.5 Mbit/s; range 10 kbit/s-100 Mbit/s.</summary>
    public int MaxBitrate { get; init; } = 2_500_000;

    /// <summary>Target before any feedback, bits/s. Default 1 Mbit/s; between the minimum and maximum.</summary>
    public int InitialBitrate { get; init; } = 1_000_000;

    /// <summary>How long a REMB stays authoritative; after that, loss in receiver reports steers. Default 5 s; range 100 ms-60 s.</summary>
    public TimeSpan RembTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Validate()
    {
        const int Lowest = 10_000, Highest = 100_000_000;
        var errors = new List<string>();
        if (MinBitrate is < Lowest or > Highest)
        {
            errors.Add($"{nameof(MinBitrate)} is {MinBitrate}; use {Lowest}-{Highest} bit/s (default 100000).");
        }

        if (MaxBitrate is < Lowest or > Highest)
        {
            errors.Add($"{nameof(MaxBitrate)} is {MaxBitrate}; use {Lowest}-{Highest} bit/s (default 2500000).");
        }

        if (MinBitrate > MaxBitrate)
        {
            errors.Add($"{nameof(MinBitrate)} ({MinBitrate}) exceeds {nameof(MaxBitrate)} ({MaxBitrate}).");
        }

        if (InitialBitrate < MinBitrate || InitialBitrate > MaxBitrate)
        {
            errors.Add($"{nameof(InitialBitrate)} is {InitialBitrate}; keep it between {nameof(MinBitrate)} and {nameof(MaxBitrate)}.");
        }

        if (RembTimeout < TimeSpan.FromMilliseconds(100) || RembTimeout > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{nameof(RembTimeout)} is {RembTimeout.TotalMilliseconds} ms; use 100-60000 ms (default 5000).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(BandwidthEstimatorOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Target send bitrate from receiver feedback. A fresh REMB (draft-alvestrand-rmcat-remb) sets the target
/// directly. Without one, the loss-based controller of GCC (draft-ietf-rmcat-gcc-02 §6) steers on the
/// fraction lost in report blocks: below 2 % the target grows 5 %, above 10 % it shrinks by (1 - 0.5 × loss),
/// in between it holds. The target is clamped to the configured range.
/// </summary>
internal sealed class BandwidthEstimator : RtpInterceptor
{
    private readonly BandwidthEstimatorOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlySet<uint>? _localSsrcs;
    private readonly Lock _lock = new();
    private double _target;
    private long _rembExpires = long.MinValue;

    /// <param name="timeProvider">Clock for REMB freshness.</param>
    /// <param name="options">Settings.</param>
    /// <param name="localSsrcs">Outbound SSRCs whose report blocks count; null counts every block.</param>
    public BandwidthEstimator(TimeProvider timeProvider, BandwidthEstimatorOptions? options = null, IReadOnlySet<uint>? localSsrcs = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options ?? new BandwidthEstimatorOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider;
        _localSsrcs = localSsrcs;
        _target = _options.InitialBitrate;
    }

    /// <summary>Raised with the new target (bits/s) whenever it changes; raised outside any lock.</summary>
    public event Action<int>? TargetBitrateChanged;

    /// <summary>Current target, bits/s.</summary>
    public int TargetBitrate
    {
        get
        {
            lock (_lock)
            {
                return (int)_target;
            }
        }
    }

    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        var now = _time.GetTimestamp();
        int before, after;
        lock (_lock)
        {
            before = (int)_target;
            var remb = packets.OfType<Remb>().LastOrDefault();
            if (remb is not null)
            {
                _rembExpires = now + (long)(_options.RembTimeout.TotalSeconds * _time.TimestampFrequency);
                _target = Math.Min(remb.Bitrate, (ulong)_options.MaxBitrate);
            }
            else if (now >= _rembExpires && TryGetFractionLost(packets, out var loss))
            {
                if (loss < 0.02)
                {
                    _target *= 1.05;
                }
                else if (loss > 0.10)
                {
                    _target *= 1 - (0.5 * loss);
                }
            }

            _target = Math.Clamp(_target, _options.MinBitrate, _options.MaxBitrate);
            after = (int)_target;
        }

        if (after != before)
        {
            TargetBitrateChanged?.Invoke(after);
        }
    }

    /// <summary>Mean fraction lost (0-1) over the report blocks about our streams.</summary>
    private bool TryGetFractionLost(IReadOnlyList<RtcpPacket> packets, out double loss)
    {
        var sum = 0;
        var count = 0;
        foreach (var packet in packets)
        {
            var reports = packet switch
            {
                ReceiverReport rr => rr.Reports,
                SenderReport sr => sr.Reports,
                _ => [],
            };
            foreach (var report in reports)
            {
                if (_localSsrcs is null || _localSsrcs.Contains(report.Ssrc))
                {
                    sum += report.FractionLost;
                    count++;
                }
            }
        }

        loss = count == 0 ? 0 : sum / (256.0 * count);
        return count > 0;
    }
}
