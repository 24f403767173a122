using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="ReceiverReportInterceptor"/>.</summary>
internal sealed record ReceiverReportOptions
{
    /// <summary>Time between reports. Default 1 s; range 100 ms-60 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>SSRC written as the reporter. Default 1.</summary>
    public uint SenderSsrc { get; init; } = 1;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{nameof(Interval)} is {Interval.TotalMilliseconds} ms; use 100-60000 ms (default 1000).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(ReceiverReportOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Sends receiver reports (RFC 3550 §6.4.2) for inbound streams: fraction and cumulative loss and the extended
/// highest sequence number (§A.3), interarrival jitter (§A.8) and LSR/DLSR echoing the sender's last SR.
/// </summary>
internal sealed class ReceiverReportInterceptor : RtpInterceptor
{
    /// <summary>RFC 3550 §6.4: the 5-bit count limits one RR to 31 blocks.</summary>
    private const int MaxBlocksPerReport = 31;

    /// <summary>Inbound SSRCs tracked at most, so a peer inventing SSRCs cannot grow memory without bound.</summary>
    internal const int MaxStreams = 64;

    private readonly ReceiverReportOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<byte, int> _clockRateOfPayloadType;
    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly Lock _lock = new();
    private readonly long _origin;
    private long _nextReport;

    /// <param name="timeProvider">Clock for arrival times and the report interval.</param>
    /// <param name="options">Settings.</param>
    /// <param name="clockRateOfPayloadType">RTP clock rate of a payload type (from SDP), for jitter.</param>
    public ReceiverReportInterceptor(TimeProvider timeProvider, ReceiverReportOptions? options, Func<byte, int> clockRateOfPayloadType)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(clockRateOfPayloadType);
        _options = options ?? new ReceiverReportOptions();
        _options.ThrowIfInvalid();
        _time = timeProvider;
        _clockRateOfPayloadType = clockRateOfPayloadType;
        _origin = timeProvider.GetTimestamp();
        _nextReport = _origin + IntervalTicks;
    }

    private long IntervalTicks => (long)(_options.Interval.TotalSeconds * _time.TimestampFrequency);

    public override void OnInboundRtp(RtpPacket packet)
    {
        var arrival = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_streams.TryGetValue(packet.Ssrc, out var stream))
            {
                if (_streams.Count >= MaxStreams)
                {
                    return;
                }

                stream = new StreamState(_clockRateOfPayloadType(packet.PayloadType));
                _streams.Add(packet.Ssrc, stream);
            }

            stream.Receive(packet, arrival - _origin, _time.TimestampFrequency);
        }
    }

    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        var arrival = _time.GetTimestamp();
        lock (_lock)
        {
            // RFC 3550 §6.6: a BYE ends the stream; stop reporting on it.
            foreach (var bye in packets.OfType<Goodbye>())
            {
                foreach (var ssrc in bye.Sources)
                {
                    _streams.Remove(ssrc);
                }
            }

            foreach (var report in packets.OfType<SenderReport>())
            {
                if (_streams.TryGetValue(report.Ssrc, out var stream))
                {
                    stream.LastSenderReport = report.NtpTimestamp.Middle32;
                    stream.LastSenderReportArrival = arrival;
                }
            }
        }
    }

    public override void OnTick()
    {
        var now = _time.GetTimestamp();
        List<RtcpPacket>? reports = null;
        lock (_lock)
        {
            if (now < _nextReport)
            {
                return;
            }

            _nextReport = now + IntervalTicks;
            var blocks = _streams.Where(pair => pair.Value.Received > 0)
                .Select(pair => pair.Value.CreateReport(pair.Key, now, _time.TimestampFrequency))
                .ToList();
            foreach (var batch in blocks.Chunk(MaxBlocksPerReport))
            {
                (reports ??= []).Add(new ReceiverReport { Ssrc = _options.SenderSsrc, Reports = batch });
            }
        }

        if (reports is not null)
        {
            SendRtcp(reports);
        }
    }

    /// <summary>The report block the next RR would carry for <paramref name="ssrc"/>, without resetting the interval counts.</summary>
    public ReceptionReport? PeekReport(uint ssrc)
    {
        lock (_lock)
        {
            return _streams.TryGetValue(ssrc, out var stream) ? stream.CreateReport(ssrc, _time.GetTimestamp(), _time.TimestampFrequency, peek: true) : null;
        }
    }

    private sealed class StreamState(int clockRate)
    {
        private readonly SequenceUnwrapper _unwrapper = new();
        private long _base;
        private long _highest;
        private long _expectedPrior;
        private long _receivedPrior;
        private long _lastTransit;
        private bool _hasTransit;
        private double _jitter;

        public long Received { get; private set; }

        public uint LastSenderReport { get; set; }

        public long LastSenderReportArrival { get; set; }

        public void Receive(RtpPacket packet, long arrivalTicks, long frequency)
        {
            var sequence = _unwrapper.Unwrap(packet.SequenceNumber);
            if (Received == 0)
            {
                _base = sequence;
                _highest = sequence;
            }
            else if (sequence > _highest)
            {
                _highest = sequence;
            }

            Received++;

            // RFC 3550 §A.8: transit time in RTP units; J += (|D| - J) / 16.
            if (clockRate > 0)
            {
                var arrival = (long)((Int128)arrivalTicks * clockRate / frequency);
                var transit = arrival - packet.Timestamp;
                if (_hasTransit)
                {
                    // Timestamps wrap at 2^32: take the difference modulo 2^32 as signed.
                    var d = Math.Abs((long)(int)(uint)(transit - _lastTransit));
                    _jitter += (d - _jitter) / 16.0;
                }

                _lastTransit = transit;
                _hasTransit = true;
            }
        }

        public ReceptionReport CreateReport(uint ssrc, long now, long frequency, bool peek = false)
        {
            // RFC 3550 §A.3.
            var expected = _highest - _base + 1;
            var lost = expected - Received;
            var expectedInterval = expected - _expectedPrior;
            var receivedInterval = Received - _receivedPrior;
            var lostInterval = expectedInterval - receivedInterval;
            var fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
            if (!peek)
            {
                _expectedPrior = expected;
                _receivedPrior = Received;
            }

            var delay = LastSenderReport == 0 ? 0 : NtpTime.ToShortUnits(TimeSpan.FromSeconds((now - LastSenderReportArrival) / (double)frequency));
            return new ReceptionReport(
                ssrc,
                (byte)fraction,
                (int)Math.Clamp(lost, ReceptionReport.MinCumulativeLost, ReceptionReport.MaxCumulativeLost),
                (uint)_highest,
                (uint)_jitter,
                LastSenderReport,
                delay);
        }
    }
}
