using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="SenderReportInterceptor"/>.</summary>
internal sealed record SenderReportOptions
{
    /// <summary>Time between reports. Default 1 s (libwebrtc's video interval); range 100 ms-60 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// CNAME sent with every report (RFC 3550 §6.5.1): the same for every stream of the session so the browser
    /// groups them for lip-sync. Required; at most 255 UTF-8 bytes.
    /// </summary>
    public string Cname { get; init; } = "";

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{nameof(Interval)} is {Interval.TotalMilliseconds} ms; use 100-60000 ms (default 1000).");
        }

        if (string.IsNullOrEmpty(Cname) || System.Text.Encoding.UTF8.GetByteCount(Cname) > 255)
        {
            errors.Add($"{nameof(Cname)} must be 1-255 UTF-8 bytes; use one random string per session.");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(SenderReportOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Sends a sender report (RFC 3550 §6.4.1) with an SDES CNAME for each outbound stream. The RTP timestamp of
/// the report instant comes from the session's one media clock: <c>mediaPositionNow</c> returns the media
/// position (48 kHz samples) being sent now, and each stream maps it with its own clock rate and offset
/// (<see cref="RtpClock"/>), exactly as its packets' timestamps were made. Audio and video therefore report
/// the same instant and the browser can lip-sync them. Also measures the round trip from report blocks
/// that echo our reports (RFC 3550 §6.4.1 "LSR"/"DLSR").
/// </summary>
internal sealed class SenderReportInterceptor : RtpInterceptor
{
    private readonly SenderReportOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<long> _mediaPositionNow;
    private readonly Dictionary<uint, StreamState> _streams = [];
    private readonly Lock _lock = new();
    private long _nextReport;
    private TimeSpan? _roundTripTime;

    public SenderReportInterceptor(TimeProvider timeProvider, SenderReportOptions options, Func<long> mediaPositionNow)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mediaPositionNow);
        options.ThrowIfInvalid();
        _time = timeProvider;
        _options = options;
        _mediaPositionNow = mediaPositionNow;
        _nextReport = timeProvider.GetTimestamp();
    }

    /// <summary>Latest round trip measured from a report block; null until one arrives.</summary>
    public TimeSpan? RoundTripTime
    {
        get
        {
            lock (_lock)
            {
                return _roundTripTime;
            }
        }
    }

    /// <summary>Declares an outbound stream; its packets are counted and reported from then on.</summary>
    /// <param name="ssrc">The stream's SSRC.</param>
    /// <param name="clockRate">RTP clock rate: 48000 for Opus, 90000 for video.</param>
    /// <param name="rtpTimestampOffset">Random offset added to the stream's timestamps (RFC 3550 §5.1).</param>
    public void AddStream(uint ssrc, int clockRate, uint rtpTimestampOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(clockRate, 0);
        lock (_lock)
        {
            _streams[ssrc] = new StreamState(clockRate, rtpTimestampOffset);
        }
    }

    public override void SendRtp(RtpPacket packet)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(packet.Ssrc, out var stream))
            {
                // RFC 3550 §6.4.1: the octet count is payload only, no header or padding.
                stream.Packets++;
                stream.Octets += (uint)packet.Payload.Length;
            }
        }

        ForwardRtp(packet);
    }

    public override void OnTick()
    {
        var now = _time.GetTimestamp();
        var packets = new List<RtcpPacket>();
        lock (_lock)
        {
            if (now < _nextReport)
            {
                return;
            }

            var ntp = NtpTime.FromDateTimeOffset(_time.GetUtcNow());
            var position = _mediaPositionNow();
            var chunks = new List<SdesChunk>();
            foreach (var (ssrc, stream) in _streams)
            {
                if (stream.Packets == 0)
                {
                    continue; // RFC 3550 §6.4: only active senders send SRs.
                }

                packets.Add(new SenderReport
                {
                    Ssrc = ssrc,
                    NtpTimestamp = ntp,
                    RtpTimestamp = RtpClock.ToRtpTimestamp(position, stream.ClockRate, stream.Offset),
                    PacketCount = stream.Packets,
                    OctetCount = stream.Octets,
                });
                chunks.Add(new SdesChunk(ssrc, [new SdesItem(SdesItemType.Cname, _options.Cname)]));
            }

            if (packets.Count == 0)
            {
                return;
            }

            packets.Add(new SourceDescription { Chunks = chunks });
            _nextReport = now + (long)(_options.Interval.TotalSeconds * _time.TimestampFrequency);
        }

        SendRtcp(packets);
    }

    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        var nowMiddle = NtpTime.FromDateTimeOffset(_time.GetUtcNow()).Middle32;
        lock (_lock)
        {
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
                    if (report.LastSenderReport != 0 && _streams.ContainsKey(report.Ssrc))
                    {
                        // RFC 3550 §6.4.1: RTT = A - LSR - DLSR in 1/65536 s, modulo 2^32.
                        var rtt = unchecked(nowMiddle - report.LastSenderReport - report.DelaySinceLastSenderReport);
                        if (rtt < 0x8000_0000u)
                        {
                            _roundTripTime = NtpTime.FromShortUnits(rtt);
                        }
                    }
                }
            }
        }
    }

    private sealed class StreamState(int clockRate, uint offset)
    {
        public int ClockRate { get; } = clockRate;

        public uint Offset { get; } = offset;

        public uint Packets { get; set; }

        public uint Octets { get; set; }
    }
}
