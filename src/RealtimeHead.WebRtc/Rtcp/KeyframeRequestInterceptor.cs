namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// Turns inbound PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1) into a <see cref="KeyframeRequested"/> event
/// with the media SSRC that needs a keyframe. A FIR repeated with the same sequence number is the same request
/// (RFC 5104 §4.3.1.2) and is raised once.
/// </summary>
internal sealed class KeyframeRequestInterceptor : RtpInterceptor
{
    private readonly Dictionary<uint, byte> _lastFirSequence = [];
    private readonly Lock _lock = new();
    private long _pliCount;
    private long _firCount;
    private long _firDuplicates;

    /// <summary>Raised with the SSRC of the stream that needs a keyframe; raised outside any lock.</summary>
    public event Action<uint>? KeyframeRequested;

    public long PliCount => Interlocked.Read(ref _pliCount);

    /// <summary>FIR requests acted on (duplicates excluded).</summary>
    public long FirCount => Interlocked.Read(ref _firCount);

    public long FirDuplicates => Interlocked.Read(ref _firDuplicates);

    public override void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        List<uint>? requested = null;
        lock (_lock)
        {
            foreach (var packet in packets)
            {
                switch (packet)
                {
                    case PictureLossIndication pli:
                        _pliCount++;
                        (requested ??= []).Add(pli.MediaSsrc);
                        break;
                    case FullIntraRequest fir:
                        foreach (var entry in fir.Entries)
                        {
                            if (_lastFirSequence.TryGetValue(entry.Ssrc, out var last) && last == entry.SequenceNumber)
                            {
                                _firDuplicates++;
                                continue;
                            }

                            // Bounded: a peer naming many SSRCs must not grow memory; we send only a few streams.
                            if (_lastFirSequence.Count < 64 || _lastFirSequence.ContainsKey(entry.Ssrc))
                            {
                                _lastFirSequence[entry.Ssrc] = entry.SequenceNumber;
                            }

                            _firCount++;
                            (requested ??= []).Add(entry.Ssrc);
                        }

                        break;
                }
            }
        }

        if (requested is not null)
        {
            foreach (var ssrc in requested.Distinct())
            {
                KeyframeRequested?.Invoke(ssrc);
            }
        }
    }
}
