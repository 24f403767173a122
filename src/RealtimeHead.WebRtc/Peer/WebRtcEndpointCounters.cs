namespace RealtimeHead.WebRtc.Peer;

/// <summary>A snapshot of the shared port's counters (see <see cref="WebRtcEndpoint.GetCounters"/>).</summary>
public sealed record WebRtcEndpointCounters
{
    /// <summary>Datagrams read from the shared port(s).</summary>
    public long DatagramsReceived { get; init; }

    /// <summary>Datagrams sent from the shared port(s).</summary>
    public long DatagramsSent { get; init; }

    /// <summary>Sends the OS refused.</summary>
    public long SendErrors { get; init; }

    /// <summary>Datagrams that were not STUN/DTLS/RTP by their first byte (RFC 7983 §7) or STUN that did not parse; dropped.</summary>
    public long Malformed { get; init; }

    /// <summary>STUN naming a ufrag no session owns (stale or forged); dropped.</summary>
    public long UnknownUfrag { get; init; }

    /// <summary>Non-STUN from an endpoint that passed no ICE check; dropped.</summary>
    public long UnknownEndPoint { get; init; }

    /// <summary>Exceptions that escaped datagram handling; each dropped one datagram.</summary>
    public long HandlerFaults { get; init; }

    /// <summary>Sessions created since start.</summary>
    public long SessionsCreated { get; init; }

    /// <summary>Offers refused (SDP rejection or session limit).</summary>
    public long OffersRejected { get; init; }
}
