using RealtimeHead.Audio.Resampling;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Pipeline;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Observability;
using RealtimeHead.WebRtc.Peer;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// The server's sessions, one per signalling connection: join (portrait and a slot), offer (WebRTC peer + pipeline),
/// barge-in, and teardown on leave, disconnect, peer close (consent loss, DTLS failure) or a pipeline failure, with
/// every resource returned. Enforces Limits:MaxSessions before any WebRTC or render work is done.
/// </summary>
internal sealed partial class SessionManager : IAsyncDisposable
{
    /// <summary>Largest SDP accepted (Chromium offers are 5-10 KB).</summary>
    public const int MaxSdpLength = 64 * 1024;

    private readonly Dictionary<string, LiveSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly RealtimeHeadOptions _options;
    private readonly WebRtcEndpointHost _endpoint;
    private readonly RenderDevice _device;
    private readonly PortraitCache _portraits;
    private readonly SpeechComponents _speech;
    private readonly ISessionNotifier _notifier;
    private readonly PipelineMetrics _pipelineMetrics;
    private readonly ServerMetrics _metrics;
    private readonly BotMetrics _botMetrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SessionManager> _logger;
    private readonly IReadOnlyList<IceServerDescriptor> _iceServers;
    private int _reserved;
    private bool _stopping;

    public SessionManager(IOptions<RealtimeHeadOptions> options, WebRtcEndpointHost endpoint, RenderDevice device, PortraitCache portraits,
        SpeechComponents speech, ISessionNotifier notifier, PipelineMetrics pipelineMetrics, ServerMetrics metrics, BotMetrics botMetrics,
        TimeProvider time, ILoggerFactory loggers)
    {
        _botMetrics = botMetrics;
        _options = options.Value;
        _endpoint = endpoint;
        _device = device;
        _portraits = portraits;
        _speech = speech;
        _notifier = notifier;
        _pipelineMetrics = pipelineMetrics;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SessionManager>();
        _iceServers = [.. _options.WebRtc.IceServers.Select(s => new IceServerDescriptor(s.Urls, s.Username, s.Credential))];
        metrics.ActiveSessions = () => Count;
    }

    /// <summary>Sessions joined and not yet torn down.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>The session of a connection, if it has joined.</summary>
    public LiveSession? Find(string connectionId)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(connectionId);
        }
    }

    /// <summary>The session with id <paramref name="sessionId"/>, if it is active.</summary>
    public LiveSession? FindBySessionId(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.Values.FirstOrDefault(s => string.Equals(s.SessionId, sessionId, StringComparison.Ordinal));
        }
    }

    /// <summary>The active sessions, oldest first.</summary>
    public IReadOnlyList<LiveSession> List()
    {
        lock (_gate)
        {
            return [.. _sessions.Values.OrderBy(s => s.JoinedAt)];
        }
    }

    /// <summary>
    /// Joins <paramref name="connectionId"/> to <paramref name="avatarId"/>: checks capacity, leases the portrait encoding.
    /// <paramref name="owner"/> (the caller's <c>sub</c>) is the only user who may push audio or speech into the session.
    /// </summary>
    public async Task<JoinResponse> JoinAsync(string connectionId, string? avatarId, CancellationToken cancellationToken = default, string? owner = null)
    {
        if (string.IsNullOrWhiteSpace(avatarId) || avatarId.Length > 64)
        {
            throw Refuse(SessionErrorCode.BadMessage, "Join needs an avatar id (GET /api/avatars lists them).");
        }

        if (!AvatarStore.IsValidId(avatarId))
        {
            throw Refuse(SessionErrorCode.UnknownAvatar, $"There is no avatar '{Truncate(avatarId)}'; GET /api/avatars lists them.");
        }

        lock (_gate)
        {
            if (_sessions.ContainsKey(connectionId))
            {
                throw Refuse(SessionErrorCode.BadMessage, "This connection has already joined; call Leave first.");
            }

            if (_stopping)
            {
                throw Refuse(SessionErrorCode.CapacityFull, "The server is stopping.");
            }

            if (_sessions.Count + _reserved >= _options.Limits.MaxSessions)
            {
                throw Refuse(SessionErrorCode.CapacityFull, $"The server is at its limit of {_options.Limits.MaxSessions} sessions; try again later.");
            }

            _reserved++;
        }

        PortraitLease? portrait = null;
        try
        {
            var admission = _device.Scheduler.CheckAdmission();
            if (!admission.Admitted)
            {
                throw Refuse(SessionErrorCode.CapacityFull, $"The render device has no room: {admission.Message}");
            }

            portrait = await _portraits.AcquireAsync(avatarId, cancellationToken).ConfigureAwait(false)
                ?? throw Refuse(SessionErrorCode.UnknownAvatar, $"There is no avatar '{avatarId}'; GET /api/avatars lists them.");
            var session = new LiveSession(NewSessionId(), connectionId, avatarId, portrait, _time.GetUtcNow()) { Owner = owner };
            lock (_gate)
            {
                _reserved--;
                _sessions[connectionId] = session;
            }

            portrait = null;
            _metrics.Joined();
            using (BeginScope(session))
            {
                Log.Joined(_logger, session.SessionId, avatarId);
            }

            return new JoinResponse(session.SessionId, avatarId, _iceServers, _device.Renderer.FrameSize);
        }
        catch
        {
            portrait?.Dispose();
            lock (_gate)
            {
                if (!_sessions.ContainsKey(connectionId))
                {
                    _reserved--;
                }
            }

            throw;
        }
    }

    /// <summary>Answers the connection's offer: starts the WebRTC peer and the pipeline that drives the portrait.</summary>
    public async Task<string> OfferAsync(string connectionId, string? sdp, CancellationToken cancellationToken = default)
    {
        var session = Find(connectionId) ?? throw Refuse(SessionErrorCode.BadMessage, "Join before sending an offer.");
        if (string.IsNullOrWhiteSpace(sdp) || sdp.Length > MaxSdpLength)
        {
            throw Refuse(SessionErrorCode.BadMessage, $"The offer must be a non-empty SDP of at most {MaxSdpLength} characters.");
        }

        using var scope = BeginScope(session);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (session.IsDisposed)
            {
                throw Refuse(SessionErrorCode.BadMessage, "The session has ended; join again.");
            }

            if (session.Peer is not null)
            {
                throw Refuse(SessionErrorCode.BadMessage, "This session already has an answer; Leave and Join again to renegotiate.");
            }

            var started = _time.GetTimestamp();
            PeerSessionAnswer answer;
            try
            {
                answer = await _endpoint.Endpoint.CreateSessionAsync(sdp, cancellationToken).ConfigureAwait(false);
            }
            catch (WebRtcOfferRejectedException rejected)
            {
                throw rejected.Reason == "TooManySessions"
                    ? Refuse(SessionErrorCode.CapacityFull, rejected.Message)
                    : Refuse(SessionErrorCode.OfferRejected, rejected.Message);
            }

            var peer = answer.Session;
            var frontEnd = _speech.CreateFrontEnd();
            var voiceActivity = _speech.CreateVoiceActivityDetector();
            PipelineSession? pipeline = null;

            // The pipeline reads the voice source: the microphone, or audio pushed / spoken for a bot (Bots/README.md).
            var voice = new VoiceSourcePeer(peer, _options.Bots, _time, _botMetrics, _loggers.CreateLogger<VoiceSourcePeer>(), session.SessionId);
            try
            {
                voice.Start();
                pipeline = new PipelineSession(voice, session.Portrait.Encoding, frontEnd, voiceActivity, new Resampler(),
                    _device.Scheduler, new PipelineSessionOptions { AudioWindowFrames = _device.Renderer.AudioWindowFrames }, _time,
                    _pipelineMetrics, _loggers.CreateLogger<PipelineSession>());
                var admission = pipeline.Start();
                if (!admission.Admitted)
                {
                    throw Refuse(SessionErrorCode.CapacityFull, $"The render device has no room: {admission.Message}");
                }
            }
            catch
            {
                if (pipeline is not null)
                {
                    await pipeline.DisposeAsync().ConfigureAwait(false);
                }

                await voice.DisposeAsync().ConfigureAwait(false);
                await peer.DisposeAsync().ConfigureAwait(false);
                frontEnd.Dispose();
                voiceActivity?.Dispose();
                throw;
            }

            session.Attach(peer, pipeline, frontEnd, voiceActivity, voice);
            _metrics.OfferAnswered(_time.GetElapsedTime(started));
            Log.Answered(_logger, session.SessionId, peer.SessionId, _time.GetElapsedTime(started).TotalMilliseconds);

            // Teardown without a Leave: the peer closed (consent lost, DTLS failure, timeout) or the pipeline failed.
            _ = peer.Completion.ContinueWith(
                _ => CloseAsync(session, SessionCloseReason.PeerClosed, notify: true),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
            _ = pipeline.Completion.ContinueWith(
                _ => CloseAsync(session, SessionCloseReason.PipelineFailed, notify: true),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
            return answer.AnswerSdp;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Barge-in: flushes the session's pipeline and reports what had actually been sent.</summary>
    public async Task<BargeInResponse> BargeInAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var session = Find(connectionId) ?? throw Refuse(SessionErrorCode.BadMessage, "Join before barging in.");
        using var scope = BeginScope(session);
        FlushResult flushed;
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (session.IsDisposed)
            {
                throw Refuse(SessionErrorCode.BadMessage, "The session has ended; join again.");
            }

            var pipeline = session.Pipeline ?? throw Refuse(SessionErrorCode.BadMessage, "Send an offer before barging in.");

            // Queued speech and pushed audio are dropped too: the user interrupts the bot.
            session.Voice?.Interrupt();
            flushed = await pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Gate.Release();
        }

        Log.BargedIn(_logger, session.SessionId, flushed.AudioEnd, flushed.Elapsed.TotalMilliseconds);
        return new BargeInResponse(flushed.LastVideoTimestamp, flushed.AudioEnd, Math.Max(0, flushed.AudioEnd) / 48.0, flushed.Complete);
    }

    /// <summary>Ends the connection's session (Leave or disconnect); nothing happens when it has none.</summary>
    public Task LeaveAsync(string connectionId, string reason)
    {
        var session = Find(connectionId);
        return session is null ? Task.CompletedTask : CloseAsync(session, reason, notify: false);
    }

    public async ValueTask DisposeAsync()
    {
        LiveSession[] sessions;
        lock (_gate)
        {
            _stopping = true;
            sessions = [.. _sessions.Values];
        }

        await Task.WhenAll(sessions.Select(s => CloseAsync(s, SessionCloseReason.ServerStopping, notify: false))).ConfigureAwait(false);
    }

    private async Task CloseAsync(LiveSession session, string reason, bool notify)
    {
        lock (_gate)
        {
            // Only the session that is still registered for its connection (a rejoin makes a new one).
            if (!_sessions.TryGetValue(session.ConnectionId, out var current) || !ReferenceEquals(current, session))
            {
                return;
            }

            _sessions.Remove(session.ConnectionId);
        }

        using var scope = BeginScope(session);

        // Wait for an offer or barge-in in flight, so what it creates is torn down too (the gate is never disposed).
        await session.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Push sockets close with this reason (not the pipeline's teardown); queued speech is dropped.
            session.Voice?.End(reason);
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.TeardownFailed(_logger, session.SessionId, exception);
        }
        finally
        {
            session.Gate.Release();
        }

        var duration = _time.GetUtcNow() - session.JoinedAt;
        _metrics.Closed(reason, duration);
        Log.Closed(_logger, session.SessionId, reason, duration.TotalSeconds);
        if (notify)
        {
            try
            {
                await _notifier.SessionEndedAsync(session.ConnectionId, session.SessionId, reason).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.NotifyFailed(_logger, session.SessionId, exception);
            }
        }
    }

    private SessionRequestException Refuse(string code, string message)
    {
        _metrics.Refused(code);
        return new SessionRequestException(code, message);
    }

    private IDisposable? BeginScope(LiveSession session) =>
        _logger.BeginScope(new SessionLogScope(session.SessionId, session.ConnectionId, session.AvatarId));

    private static string NewSessionId() => "s" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";
}

/// <summary>The logging scope of everything done for a session (structured: SessionId, ConnectionId, AvatarId).</summary>
internal sealed class SessionLogScope(string sessionId, string connectionId, string avatarId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values =
    [
        new("SessionId", sessionId),
        new("ConnectionId", connectionId),
        new("AvatarId", avatarId),
    ];

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();

    public override string ToString() => $"SessionId:{_values[0].Value} ConnectionId:{_values[1].Value}";
}
