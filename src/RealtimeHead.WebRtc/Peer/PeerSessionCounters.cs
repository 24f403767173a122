namespace RealtimeHead.WebRtc.Peer;

/// <summary>A snapshot of one session's counters (see <see cref="PeerSession.GetCounters"/>); every drop has a counter.</summary>
public sealed record PeerSessionCounters
{
    /// <summary>Datagrams the shared port routed to this session (DTLS, SRTP, SRTCP; STUN is answered on the port).</summary>
    public long DatagramsReceived { get; init; }

    /// <summary>Datagrams dropped because the session's inbound queue was full.</summary>
    public long DatagramsDroppedQueueFull { get; init; }

    /// <summary>SRTP/SRTCP that arrived before the DTLS handshake produced keys; dropped.</summary>
    public long DatagramsBeforeKeys { get; init; }

    /// <summary>SRTP packets that failed authentication, replay or parsing (RFC 3711 §3.3); dropped.</summary>
    public long SrtpDropped { get; init; }

    /// <summary>SRTCP packets that failed authentication, replay or parsing (RFC 3711 §3.4); dropped.</summary>
    public long SrtcpDropped { get; init; }

    /// <summary>Authenticated RTP that did not parse, or RTCP compounds with a malformed packet.</summary>
    public long MalformedPackets { get; init; }

    /// <summary>DTLS datagrams the DTLS layer refused (queue full, too short, after close).</summary>
    public long DtlsDropped { get; init; }

    /// <summary>Exceptions caught while handling one datagram; the datagram was dropped, the session went on.</summary>
    public long ProcessingFaults { get; init; }

    /// <summary>Inbound RTP of an unknown payload type or SSRC; dropped.</summary>
    public long RtpIgnored { get; init; }

    /// <summary>Inbound audio packets that arrived after their playout step; dropped.</summary>
    public long JitterBufferLate { get; init; }

    /// <summary>Inbound audio packets received twice; dropped.</summary>
    public long JitterBufferDuplicates { get; init; }

    /// <summary>Inbound audio packets dropped because the buffer overflowed or restarted (sender jump).</summary>
    public long JitterBufferOverflow { get; init; }

    /// <summary>Decoded 20 ms frames (and concealed ones) written to <c>InboundAudio</c>.</summary>
    public long InboundAudioFrames { get; init; }

    /// <summary>Oldest inbound frames dropped because the reader of <c>InboundAudio</c> fell behind.</summary>
    public long InboundAudioFramesDropped { get; init; }

    /// <summary>Lost inbound frames synthesised by Opus packet loss concealment.</summary>
    public long ConcealedFrames { get; init; }

    /// <summary>Lost inbound frames rebuilt from the next packet's in-band FEC.</summary>
    public long FecRecoveredFrames { get; init; }

    /// <summary>Inbound Opus packets that failed to decode (concealed instead).</summary>
    public long CorruptAudioPackets { get; init; }

    /// <summary>Video frames encoded and sent.</summary>
    public long VideoFramesEncoded { get; init; }

    /// <summary>Keyframes among <see cref="VideoFramesEncoded"/>.</summary>
    public long KeyframesEncoded { get; init; }

    /// <summary>Video frames dropped before encoding (queue full or session closed).</summary>
    public long VideoFramesDropped { get; init; }

    /// <summary>20 ms Opus packets encoded and sent.</summary>
    public long AudioPacketsEncoded { get; init; }

    /// <summary>Audio blocks dropped before encoding (queue full or session closed).</summary>
    public long AudioFramesDropped { get; init; }

    /// <summary>SRTP packets sent (media and retransmissions).</summary>
    public long RtpPacketsSent { get; init; }

    /// <summary>SRTCP datagrams sent (reports).</summary>
    public long RtcpPacketsSent { get; init; }

    /// <summary>Packets not sent because the session had no keys or path yet, or SRTP refused them.</summary>
    public long SendDrops { get; init; }

    /// <summary>Packets the pacer dropped because its queue was full.</summary>
    public long PacerDropped { get; init; }

    /// <summary>Packets resent on a NACK (RFC 4585 §6.2.1).</summary>
    public long NackRetransmissions { get; init; }

    /// <summary>PLI received (RFC 4585 §6.3.1).</summary>
    public long PliReceived { get; init; }

    /// <summary>FIR received, duplicates excluded (RFC 5104 §4.3.1).</summary>
    public long FirReceived { get; init; }

    /// <summary>Current target video bitrate (bit/s) from the bandwidth estimate.</summary>
    public int TargetBitrate { get; init; }

    /// <summary>Round trip from the browser's report blocks; null until measured.</summary>
    public TimeSpan? RoundTripTime { get; init; }
}
