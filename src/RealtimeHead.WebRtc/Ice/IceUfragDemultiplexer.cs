using System.Collections.Concurrent;
using System.Net;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>How a datagram on the shared port was routed.</summary>
internal enum DemuxOutcome
{
    /// <summary>A STUN message whose USERNAME names a registered local ufrag.</summary>
    RoutedByUfrag,

    /// <summary>A non-STUN datagram (or STUN without USERNAME) from an endpoint bound to a session.</summary>
    RoutedByEndPoint,

    /// <summary>Empty, not STUN/DTLS/RTP by its first byte (RFC 7983 §7), or STUN that does not parse. Dropped.</summary>
    Malformed,

    /// <summary>STUN naming a ufrag no session owns (stale or forged). Dropped.</summary>
    UnknownUfrag,

    /// <summary>Non-STUN from an endpoint that has not passed a check. Dropped.</summary>
    UnknownEndPoint,
}

/// <summary>Where a datagram goes; <see cref="Stun"/> is the parsed message when it was STUN, so it is parsed once.</summary>
internal readonly record struct DemuxResult<TSession>(DemuxOutcome Outcome, TSession? Session, StunMessage? Stun)
    where TSession : class
{
    public bool IsRouted => Session is not null;
}

/// <summary>
/// Routes datagrams on the one shared UDP port (see <see cref="IceOptions"/>) to sessions: STUN by the local
/// ufrag in USERNAME (the part before ':', RFC 8445 §7.2.2), everything else by the remote endpoint, which
/// the session binds with <see cref="BindEndPoint"/> after its agent accepted a check from it
/// (<see cref="IceCheckResult.IsValidCheck"/>): endpoints are only learned from authenticated checks, so a
/// forged first packet cannot steal a session's media. Thread-safe; owns no socket.
/// </summary>
internal sealed class IceUfragDemultiplexer<TSession>
    where TSession : class
{
    private readonly ConcurrentDictionary<string, TSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPEndPoint, TSession> _byEndPoint = new();
    private long _malformed;
    private long _unknownUfrag;
    private long _unknownEndPoint;

    public long MalformedCount => Interlocked.Read(ref _malformed);

    public long UnknownUfragCount => Interlocked.Read(ref _unknownUfrag);

    public long UnknownEndPointCount => Interlocked.Read(ref _unknownEndPoint);

    public int SessionCount => _byUfrag.Count;

    /// <summary>Registers a session under its local ufrag; false if another session already has that ufrag.</summary>
    public bool TryRegister(string localUfrag, TSession session)
    {
        ArgumentException.ThrowIfNullOrEmpty(localUfrag);
        ArgumentNullException.ThrowIfNull(session);
        return _byUfrag.TryAdd(localUfrag, session);
    }

    /// <summary>Binds a remote endpoint (normalised to IPv4 when IPv4-mapped) to a session; a later bind of the same endpoint wins.</summary>
    public void BindEndPoint(IPEndPoint remote, TSession session)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(session);
        _byEndPoint[Normalize(remote)] = session;
    }

    /// <summary>Removes the session's ufrag and every endpoint bound to it.</summary>
    public void Unregister(TSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        foreach (var pair in _byUfrag)
        {
            if (ReferenceEquals(pair.Value, session))
            {
                _byUfrag.TryRemove(pair);
            }
        }

        foreach (var pair in _byEndPoint)
        {
            if (ReferenceEquals(pair.Value, session))
            {
                _byEndPoint.TryRemove(pair);
            }
        }
    }

    /// <summary>Finds the session for one datagram; drops (and counts) what belongs to none. Never throws on content.</summary>
    public DemuxResult<TSession> Route(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (datagram.IsEmpty)
        {
            return Drop(DemuxOutcome.Malformed, ref _malformed);
        }

        byte first = datagram[0];

        // RFC 7983 §7: 0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP; the rest is not ours.
        if (first <= 3)
        {
            if (!StunMessage.TryParse(datagram, out var message, out _))
            {
                return Drop(DemuxOutcome.Malformed, ref _malformed);
            }

            string? username = message!.GetUsername();
            if (username is not null)
            {
                int colon = username.IndexOf(':', StringComparison.Ordinal);
                string localUfrag = colon >= 0 ? username[..colon] : username;
                return _byUfrag.TryGetValue(localUfrag, out var owner)
                    ? new DemuxResult<TSession>(DemuxOutcome.RoutedByUfrag, owner, message)
                    : Drop(DemuxOutcome.UnknownUfrag, ref _unknownUfrag, message);
            }

            return _byEndPoint.TryGetValue(Normalize(remote), out var bound)
                ? new DemuxResult<TSession>(DemuxOutcome.RoutedByEndPoint, bound, message)
                : Drop(DemuxOutcome.UnknownEndPoint, ref _unknownEndPoint, message);
        }

        if (first is (>= 20 and <= 63) or (>= 128 and <= 191))
        {
            return _byEndPoint.TryGetValue(Normalize(remote), out var session)
                ? new DemuxResult<TSession>(DemuxOutcome.RoutedByEndPoint, session, null)
                : Drop(DemuxOutcome.UnknownEndPoint, ref _unknownEndPoint);
        }

        return Drop(DemuxOutcome.Malformed, ref _malformed);
    }

    private static DemuxResult<TSession> Drop(DemuxOutcome outcome, ref long counter, StunMessage? message = null)
    {
        Interlocked.Increment(ref counter);
        return new DemuxResult<TSession>(outcome, null, message);
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
