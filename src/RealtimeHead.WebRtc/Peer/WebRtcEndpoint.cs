using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Sdp;
using RealtimeHead.WebRtc.Transport;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// The server's WebRTC endpoint: one shared UDP port (on every configured host address, IPv4 and IPv6), the
/// ICE ufrag/endpoint demultiplexer and the DTLS certificate, and the factory of <see cref="PeerSession"/>s.
/// Answers each browser offer with ICE-lite, <c>a=setup:passive</c>, BUNDLE, Opus send-receive and VP8
/// send-only, REMB (not transport-cc) for congestion control. Thread-safe.
/// </summary>
public sealed partial class WebRtcEndpoint : IAsyncDisposable
{
    private readonly WebRtcEndpointOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<WebRtcEndpoint> _logger;
    private readonly IceUfragDemultiplexer<PeerSession> _demux = new();
    private readonly ConcurrentDictionary<PeerSession, byte> _sessions = new();
    private readonly SharedUdpListener _listener;
    private readonly IReadOnlyList<IceCandidate> _candidates;
    private readonly SdpFingerprint _fingerprint;
    private int _reserved;
    private long _created;
    private long _rejected;
    private int _disposed;

    private WebRtcEndpoint(WebRtcEndpointOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<WebRtcEndpoint>();
        Certificate = DtlsCertificate.Generate(time);
        _fingerprint = new SdpFingerprint(Certificate.Fingerprint.Algorithm, Certificate.Fingerprint.Value.ToArray());
        _listener = SharedUdpListener.Bind(options.Ice.EffectiveBindAddresses, options.Ice.PortRangeStart, options.Ice.PortRangeEnd, OnDatagram, loggerFactory.CreateLogger<SharedUdpListener>());
        _candidates = IceCandidate.CreateHostCandidates(options.Ice.HostAddresses, _listener.Port);
    }

    /// <summary>The bound sockets: one per host address, all on <see cref="Port"/>.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listener.LocalEndPoints;

    /// <summary>The shared UDP port every answer advertises.</summary>
    public int Port => _listener.Port;

    /// <summary>Open sessions (created and not yet closed).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>The DTLS certificate fingerprint every answer carries (<c>sha-256 AB:CD:...</c>).</summary>
    public string LocalFingerprint => _fingerprint.ToSdpValue();

    internal DtlsCertificate Certificate { get; }

    internal IceUfragDemultiplexer<PeerSession> Demultiplexer => _demux;

    /// <summary>
    /// Binds the shared port and makes the DTLS certificate. Throws <see cref="ArgumentException"/> listing every
    /// invalid option, or <see cref="System.Net.Sockets.SocketException"/> when no port in the range is free.
    /// </summary>
    public static WebRtcEndpoint Start(WebRtcEndpointOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new WebRtcEndpointOptions();
        options.ThrowIfInvalid();
        return new WebRtcEndpoint(options, timeProvider ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>
    /// Answers a browser offer and starts a session that waits for the browser's ICE checks and DTLS handshake.
    /// Throws <see cref="WebRtcOfferRejectedException"/> (message names what the offer lacks) for an offer this
    /// server cannot serve or when <see cref="WebRtcEndpointOptions.MaxSessions"/> are open.
    /// </summary>
    public Task<PeerSessionAnswer> CreateSessionAsync(string offerSdp, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref _reserved) > _options.MaxSessions)
        {
            Interlocked.Decrement(ref _reserved);
            Interlocked.Increment(ref _rejected);
            throw new WebRtcOfferRejectedException("TooManySessions", $"This endpoint already serves {_options.MaxSessions} sessions (WebRtc:MaxSessions); try again later.");
        }

        PeerSession? session = null;
        try
        {
            var ice = IceCredentials.Generate();

            // REMB + abs-send-time rather than transport-cc: the estimator reads REMB and report-block loss.
            var local = new LocalSdpParameters(ice, _fingerprint, _candidates) { EnableTransportCc = false };
            var result = SdpAnswerer.Negotiate(offerSdp, local);
            if (!result.IsAccepted)
            {
                Interlocked.Increment(ref _rejected);
                LogOfferRejected(_logger, result.Reason.ToString(), result.Message!);
                throw new WebRtcOfferRejectedException(result.Reason.ToString(), result.Message!);
            }

            var negotiated = result.Session!;
            var agent = new IceLiteAgent(ice, negotiated.RemoteIceUfrag, _options.Ice, _time, _loggerFactory.CreateLogger<IceLiteAgent>());
            string sessionId = "ps-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            session = new PeerSession(sessionId, negotiated, local, agent, Certificate, _listener, _options, _time, _loggerFactory, OnSessionClosed);
            if (!_demux.TryRegister(ice.Ufrag, session))
            {
                throw new InvalidOperationException("A fresh random ICE ufrag collided with an open session's; retry.");
            }

            _sessions.TryAdd(session, 0);
            Interlocked.Increment(ref _created);
            LogSessionCreated(_logger, sessionId, ice.Ufrag, negotiated.Audio.PayloadType, negotiated.Video.PayloadType);
            session.Start();
            var answer = new PeerSessionAnswer(session, result.AnswerSdp!);
            session = null;
            return Task.FromResult(answer);
        }
        catch
        {
            if (session is not null)
            {
                // Started in DisposeAsync, torn down at once; OnSessionClosed releases the reservation.
                _ = session.DisposeAsync().AsTask();
            }
            else
            {
                Interlocked.Decrement(ref _reserved);
            }

            throw;
        }
    }

    /// <summary>Current counters of the shared port.</summary>
    public WebRtcEndpointCounters GetCounters() => new()
    {
        DatagramsReceived = _listener.DatagramsReceived,
        DatagramsSent = _listener.DatagramsSent,
        SendErrors = _listener.SendErrors,
        Malformed = _demux.MalformedCount,
        UnknownUfrag = _demux.UnknownUfragCount,
        UnknownEndPoint = _demux.UnknownEndPointCount,
        HandlerFaults = _listener.HandlerFaults,
        SessionsCreated = Interlocked.Read(ref _created),
        OffersRejected = Interlocked.Read(ref _rejected),
    };

    /// <summary>Closes every session (each sends close_notify), waits for them, then closes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var sessions = _sessions.Keys.ToList();
        foreach (var session in sessions)
        {
            session.RequestClose(PeerCloseReason.EndpointStopped);
        }

        await Task.WhenAll(sessions.Select(s => s.Completion)).ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The shared port's receive loop: STUN is answered here, the rest goes to the owning session's queue.</summary>
    private void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        var routed = _demux.Route(datagram, remote);
        if (routed.Session is not { } session)
        {
            return;
        }

        if (routed.Stun is { } stun)
        {
            var check = session.Agent.ProcessMessage(stun, remote);
            if (check.IsValidCheck && session.CloseReason is null)
            {
                _demux.BindEndPoint(remote, session);
                session.OnValidCheck(remote);
                if (session.CloseReason is not null)
                {
                    // Closed while binding: do not leave the endpoint pointing at it.
                    _demux.Unregister(session);
                }
            }

            if (check.Response is { } response)
            {
                _listener.Send(response, remote);
            }

            return;
        }

        session.EnqueueDatagram(datagram);
    }

    private void OnSessionClosed(PeerSession session)
    {
        _demux.Unregister(session);
        if (_sessions.TryRemove(session, out _))
        {
            Interlocked.Decrement(ref _reserved);
        }
        else if (Volatile.Read(ref _disposed) == 0)
        {
            // Never added (failed during creation): its reservation is still held.
            Interlocked.Decrement(ref _reserved);
        }
    }
}
