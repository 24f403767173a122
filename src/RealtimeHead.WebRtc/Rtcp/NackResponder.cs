using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Settings of <see cref="NackResponder"/>.</summary>
internal sealed record NackResponderOptions
{
    /// <summary>
    /// Outbound packets remembered per SSRC. A power of two (so slots stay aligned across the 16-bit wrap);
    /// default 512 (about 0.5 s of 8 Mbit/s video); range 16-32768.
    /// </summary>
    public int BufferSize { get; init; } = 512;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BufferSize is < 16 or > 32768 || (BufferSize & (BufferSize - 1)) != 0)
        {
            errors.Add($"{nameof(BufferSize)} is {BufferSize}; use a power of two from 16 to 32768 (default 512).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(NackResponderOptions)}: {string.Join(" ", errors)}");
        }
    }
}

/// <summary>
/// Sender side of RFC 4585 §6.2.1 NACK: remembers the last outbound packets of each SSRC and resends the ones
/// a Generic NACK asks for. Retransmissions go to the next interceptor (put the pacer after this one).
/// </summary>
internal sealed class NackResponder(NackResponderOptions? options = null) : RtpInterceptor
{
    private readonly NackResponderOptions _options = Validated(options);
    private readonly Dictionary<uint, RtpPacket?[]> _streams = [];
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    /// <summary>Requested packets that were resent.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requested packets no longer (or never) in the buffer.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public override void SendRtp(RtpPacket packet)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(packet.Ssrc, out var buffer))
            {
                buffer = new RtpPacket?[_options.BufferSize];
                _streams.Add(packet.Ssrc, buffer);
            }

            buffer[packet.SequenceNumber & (buffer.Length - 1)] = packet;
        }

        ForwardRtp(packet);
    }

    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        List<RtpPacket>? resend = null;
        lock (_lock)
        {
            foreach (var nack in packets.OfType<GenericNack>())
            {
                _streams.TryGetValue(nack.MediaSsrc, out var buffer);
                foreach (var sequence in nack.LostPackets())
                {
                    var packet = buffer?[sequence & (buffer.Length - 1)];
                    if (packet is not null && packet.SequenceNumber == sequence)
                    {
                        (resend ??= []).Add(packet);
                        _hits++;
                    }
                    else
                    {
                        _misses++;
                    }
                }
            }
        }

        if (resend is not null)
        {
            foreach (var packet in resend)
            {
                ForwardRtp(packet);
            }
        }
    }

    private static NackResponderOptions Validated(NackResponderOptions? options)
    {
        options ??= new NackResponderOptions();
        options.ThrowIfInvalid();
        return options;
    }
}
