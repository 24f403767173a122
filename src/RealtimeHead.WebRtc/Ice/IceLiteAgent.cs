using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>
/// The ICE-lite side of one session (RFC 8445 §2.5, §7.3): answers the full agent's Binding requests,
/// takes its nomination, and tracks consent (RFC 7675). It owns no socket: the listener passes each STUN
/// datagram with its source in, and sends <see cref="IceCheckResult.Response"/> back to that source.
/// </summary>
/// <remarks>
/// Bad credentials: a request whose USERNAME is not <c>ourUfrag:theirUfrag</c> or whose MESSAGE-INTEGRITY
/// fails gets a 401 error response (no MESSAGE-INTEGRITY, as RFC 8489 §9.1.3 requires for short-term
/// credentials) and is counted in <see cref="UnauthorizedCount"/>; it never refreshes consent or nominates.
/// Requests for other ufrags never reach an agent: the demultiplexer drops and counts them.
/// Consent: the clock starts when the agent is created, so a peer that never completes a check also
/// loses consent after <see cref="IceOptions.ConsentTimeout"/>.
/// ICE restart (new remote ufrag) is not handled here: a new offer makes a new session and agent.
/// </remarks>
internal sealed partial class IceLiteAgent : IDisposable
{
    private readonly object _gate = new();
    private readonly IceCredentials _local;
    private readonly string _expectedUsername;
    private readonly byte[] _integrityKey;
    private readonly TimeProvider _time;
    private readonly TimeSpan _consentTimeout;
    private readonly ILogger<IceLiteAgent> _logger;
    private readonly TaskCompletionSource _consentLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _consentTimer;
    private long _lastValidCheckTimestamp;
    private IPEndPoint? _selected;
    private bool _disposed;
    private long _validChecks;
    private long _badRequests;
    private long _unauthorized;
    private long _roleConflicts;
    private long _ignored;
    private long _malformed;

    public IceLiteAgent(IceCredentials local, string remoteUfrag, IceOptions options, TimeProvider time, ILogger<IceLiteAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentException.ThrowIfNullOrEmpty(remoteUfrag);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.ThrowIfInvalid();
        _local = local;
        RemoteUfrag = remoteUfrag;

        // RFC 8445 §7.2.2: the full agent (the offerer here) sends USERNAME = answerer's ufrag ":" offerer's ufrag.
        _expectedUsername = local.Ufrag + ":" + remoteUfrag;

        // RFC 8489 §9.1.1: the short-term key is the (OpaqueString-prepared) password; ICE passwords are ASCII.
        _integrityKey = Encoding.UTF8.GetBytes(local.Password);
        _time = time;
        _consentTimeout = options.ConsentTimeout;
        _logger = logger;
        _lastValidCheckTimestamp = time.GetTimestamp();
        _consentTimer = time.CreateTimer(static state => ((IceLiteAgent)state!).OnConsentTimer(), this, _consentTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Raised (outside the agent's lock) when a USE-CANDIDATE check selects a new remote endpoint.</summary>
    public event Action<IPEndPoint>? SelectedEndPointChanged;

    public string LocalUfrag => _local.Ufrag;

    public string RemoteUfrag { get; }

    /// <summary>Where media goes: the source of the latest nominating check, or null before nomination.</summary>
    public IPEndPoint? SelectedRemoteEndPoint
    {
        get
        {
            lock (_gate)
            {
                return _selected;
            }
        }
    }

    /// <summary>
    /// Completes when consent is lost (RFC 7675 §5.1: no valid check for <see cref="IceOptions.ConsentTimeout"/>);
    /// the session must then stop sending and close. Cancelled when the agent is disposed first.
    /// </summary>
    public Task ConsentLost => _consentLost.Task;

    public long ValidCheckCount => Interlocked.Read(ref _validChecks);

    public long BadRequestCount => Interlocked.Read(ref _badRequests);

    public long UnauthorizedCount => Interlocked.Read(ref _unauthorized);

    public long RoleConflictCount => Interlocked.Read(ref _roleConflicts);

    public long IgnoredCount => Interlocked.Read(ref _ignored);

    public long MalformedCount => Interlocked.Read(ref _malformed);

    /// <summary>Handles one datagram that RFC 7983 classified as STUN; never throws on its content.</summary>
    public IceCheckResult ProcessDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!StunMessage.TryParse(datagram, out var message, out var error))
        {
            Interlocked.Increment(ref _malformed);
            LogMalformed(_logger, remote, error);
            return new IceCheckResult(IceCheckOutcome.Malformed, null);
        }

        return ProcessMessage(message!, remote);
    }

    /// <summary>Handles an already parsed message (the demultiplexer parses STUN once).</summary>
    public IceCheckResult ProcessMessage(StunMessage message, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(remote);
        if (message.Type.Method != StunMethod.Binding || message.Type.Class != StunMessageClass.Request)
        {
            // Binding indications are keepalives (RFC 8445 §11); a lite agent sends no requests, so
            // responses are stray. Neither refreshes consent.
            Interlocked.Increment(ref _ignored);
            return new IceCheckResult(IceCheckOutcome.Ignored, null);
        }

        string? username = message.GetUsername();
        if (username is null || !message.HasMessageIntegrity)
        {
            Interlocked.Increment(ref _badRequests);
            LogBadRequest(_logger, remote);
            return new IceCheckResult(IceCheckOutcome.BadRequest, ErrorResponse(message, StunErrorCode.BadRequest, "Bad Request", withIntegrity: false));
        }

        if (!string.Equals(username, _expectedUsername, StringComparison.Ordinal) || !message.VerifyMessageIntegrity(_integrityKey))
        {
            Interlocked.Increment(ref _unauthorized);
            LogUnauthorized(_logger, remote, username);
            return new IceCheckResult(IceCheckOutcome.Unauthorized, ErrorResponse(message, StunErrorCode.Unauthorized, "Unauthorized", withIntegrity: false));
        }

        if (message.HasAttribute(StunAttributeType.IceControlled))
        {
            // RFC 8445 §6.1.1: a lite agent is always controlled, so the full agent must control; a lite agent
            // cannot switch roles, so it always reports the conflict (RFC 8445 §7.3.1.1).
            Interlocked.Increment(ref _roleConflicts);
            LogRoleConflict(_logger, remote);
            return new IceCheckResult(IceCheckOutcome.RoleConflict, ErrorResponse(message, StunErrorCode.RoleConflict, "Role Conflict", withIntegrity: true));
        }

        bool nominate = message.HasAttribute(StunAttributeType.UseCandidate);
        bool changed = false;
        IPEndPoint normalized = Normalize(remote);
        lock (_gate)
        {
            // RFC 7675 §5.1: each authenticated check refreshes consent; the timer re-arms itself lazily.
            _lastValidCheckTimestamp = _time.GetTimestamp();
            if (nominate && !normalized.Equals(_selected))
            {
                _selected = normalized;
                changed = true;
            }
        }

        Interlocked.Increment(ref _validChecks);
        if (changed)
        {
            LogNominated(_logger, _local.Ufrag, normalized);
            SelectedEndPointChanged?.Invoke(normalized);
        }

        // RFC 8445 §7.3.1.4 / RFC 8489 §7.3.1: success response with XOR-MAPPED-ADDRESS = request source.
        byte[] response = new StunMessageWriter(StunMessageType.BindingSuccess, message.TransactionId)
            .AddXorMappedAddress(normalized)
            .AddMessageIntegrity(_integrityKey)
            .AddFingerprint()
            .ToArray();
        return new IceCheckResult(nominate ? IceCheckOutcome.Nominated : IceCheckOutcome.Accepted, response);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _consentTimer.Dispose();
        _consentLost.TrySetCanceled();
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private byte[] ErrorResponse(StunMessage request, int code, string reason, bool withIntegrity)
    {
        var writer = new StunMessageWriter(StunMessageType.BindingError, request.TransactionId).AddErrorCode(code, reason);
        if (withIntegrity)
        {
            writer.AddMessageIntegrity(_integrityKey);
        }

        return writer.AddFingerprint().ToArray();
    }

    private void OnConsentTimer()
    {
        TimeSpan sinceLastCheck;
        lock (_gate)
        {
            if (_disposed || _consentLost.Task.IsCompleted)
            {
                return;
            }

            sinceLastCheck = _time.GetElapsedTime(_lastValidCheckTimestamp);
            if (sinceLastCheck < _consentTimeout)
            {
                _consentTimer.Change(_consentTimeout - sinceLastCheck, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        LogConsentLost(_logger, _local.Ufrag, sinceLastCheck.TotalSeconds);
        _consentLost.TrySetResult();
    }
}
