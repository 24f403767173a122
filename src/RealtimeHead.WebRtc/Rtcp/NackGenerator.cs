using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="NackGenerator"/>.</summary>
internal sealed record NackGeneratorOptions
{
    /// <summary>SSRC written as the NACK's packet sender (RFC 4585 §6.1). Default 1.</summary>
    public uint SenderSsrc { get; init; } = 1;

    /// <summary>
    /// Wait after a gap is seen before the first NACK, so mild reordering does not cause requests.
    /// Default 0 (next tick); range 0-1 s.
    /// </summary>
    public TimeSpan FirstNackDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Wait between requests for the same packet; about one round trip. Default 50 ms; range 1 ms-5 s.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Requests per packet before giving up on it. Default 10; range 1-100.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>
    /// Missing packets tracked per stream; a larger gap is not NACKed (a keyframe request serves better).
    /// Default 500; range 1-10000.
    /// </summary>
    public int MaxMissing { get; init; } = 500;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FirstNackDelay < TimeSpan.Zero || FirstNackDelay > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(FirstNackDelay)} is {FirstNackDelay.TotalMilliseconds} ms; use 0-1000 ms (default 0).");
        }

        if (RetryInterval < TimeSpan.FromMilliseconds(1) || RetryInterval > TimeSpan.FromSeconds(5))
        {
            errors.Add($"{nameof(RetryInterval)} is {RetryInterval.TotalMilliseconds} ms; use 1-5000 ms (default 50).");
        }

        if (MaxRetries is < 1 or > 100)
        {
            errors.Add($"{nameof(MaxRetries)} is {MaxRetries}; use 1-100 (default 10).");
        }

        if (MaxMissing is < 1 or > 10000)
        {
            errors.Add($"{nameof(MaxMissing)} is {MaxMissing}; use 1-10000 (default 500).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(NackGeneratorOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Receiver side of RFC 4585 §6.2.1 NACK: finds sequence gaps in inbound streams and, on ticks, asks for the
/// missing packets with Generic NACKs, again every <see cref="NackGeneratorOptions.RetryInterval"/> up to
/// <see cref="NackGeneratorOptions.MaxRetries"/> times.
/// </summary>
internal sealed class NackGenerator : RtpInterceptor
{
    /// <summary>Sequence numbers per NACK packet, which keeps each RTCP datagram well under the MTU.</summary>
    private const int MaxSequenceNumbersPerNack = 256;

    /// <summary>Inbound SSRCs tracked at most, so a peer inventing SSRCs cannot grow memory without bound.</summary>
    internal const int MaxStreams = 64;

    private readonly NackGeneratorOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly Lock _lock = new();

    public NackGenerator(TimeProvider timeProvider, NackGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _options = options ?? new NackGeneratorOptions();
        _options.ThrowIfInvalid();
    }

    /// <summary>Sequence numbers requested, counting each retry.</summary>
    public long Requested { get; private set; }

    /// <summary>Missing packets that arrived after all.</summary>
    public long Recovered { get; private set; }

    /// <summary>Missing packets abandoned after the last retry or because the gap was too large.</summary>
    public long GaveUp { get; private set; }

    /// <summary>Packets missing now, over all streams.</summary>
    public int MissingCount
    {
        get
        {
            lock (_lock)
            {
                return _streams.Values.Sum(stream => stream.Missing.Count);
            }
        }
    }

    public override void OnInboundRtp(RtpPacket packet)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_streams.TryGetValue(packet.Ssrc, out var stream))
            {
                if (_streams.Count >= MaxStreams)
                {
                    return;
                }

                stream = new StreamState();
                _streams.Add(packet.Ssrc, stream);
                stream.Highest = stream.Unwrapper.Unwrap(packet.SequenceNumber);
                return;
            }

            var sequence = stream.Unwrapper.Unwrap(packet.SequenceNumber);
            if (sequence <= stream.Highest)
            {
                if (stream.Missing.Remove(sequence))
                {
                    Recovered++;
                }

                return;
            }

            var gap = sequence - stream.Highest - 1;
            if (gap > _options.MaxMissing)
            {
                // Too much is gone to repair by retransmission: forget it and start fresh.
                GaveUp += gap + stream.Missing.Count;
                stream.Missing.Clear();
            }
            else
            {
                var due = now + Ticks(_options.FirstNackDelay);
                for (var s = stream.Highest + 1; s < sequence; s++)
                {
                    stream.Missing.Add(s, new MissingPacket(due, 0));
                }

                while (stream.Missing.Count > _options.MaxMissing)
                {
                    stream.Missing.RemoveAt(0);
                    GaveUp++;
                }
            }

            stream.Highest = sequence;
        }
    }

    /// <summary>RFC 3550 §6.6: a BYE ends the stream; stop asking for its packets.</summary>
    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        lock (_lock)
        {
            foreach (var bye in packets.OfType<Goodbye>())
            {
                foreach (var ssrc in bye.Sources)
                {
                    _streams.Remove(ssrc);
                }
            }
        }
    }

    public override void OnTick()
    {
        var now = _time.GetTimestamp();
        List<RtcpPacket>? nacks = null;
        lock (_lock)
        {
            foreach (var (ssrc, stream) in _streams)
            {
                List<ushort>? lost = null;
                for (var i = stream.Missing.Count - 1; i >= 0; i--)
                {
                    var sequence = stream.Missing.Keys[i];
                    var missing = stream.Missing.Values[i];
                    if (missing.Due > now)
                    {
                        continue;
                    }

                    if (missing.Retries >= _options.MaxRetries)
                    {
                        stream.Missing.RemoveAt(i);
                        GaveUp++;
                        continue;
                    }

                    stream.Missing.SetValueAtIndex(i, new MissingPacket(now + Ticks(_options.RetryInterval), missing.Retries + 1));
                    (lost ??= []).Add((ushort)sequence);
                    Requested++;
                }

                if (lost is null)
                {
                    continue;
                }

                lost.Reverse();
                foreach (var batch in lost.Chunk(MaxSequenceNumbersPerNack))
                {
                    (nacks ??= []).Add(GenericNack.FromSequenceNumbers(_options.SenderSsrc, ssrc, batch));
                }
            }
        }

        if (nacks is not null)
        {
            foreach (var nack in nacks)
            {
                SendRtcp([nack]);
            }
        }
    }

    private long Ticks(TimeSpan duration) => (long)(duration.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private readonly record struct MissingPacket(long Due, int Retries);

    private sealed class StreamState
    {
        public SequenceUnwrapper Unwrapper { get; } = new();

        public long Highest { get; set; }

        public SortedList<long, MissingPacket> Missing { get; } = [];
    }
}
