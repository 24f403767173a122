using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Security;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Signalling;

/// <summary>
/// Signalling at <c>/hubs/session</c>: Join(avatar) → session id and ICE servers; Offer(sdp) → answer sdp;
/// AddIceCandidate (validated; the server is ICE-lite and learns the browser's address from its checks); BargeIn →
/// the position actually sent; Leave. Refusals are <see cref="HubException"/>s whose message starts with a
/// <see cref="SessionErrorCode"/> and a colon. One session per connection; it ends with the connection.
/// </summary>
[Authorize(Policy = AuthSetup.PolicyName)]
internal sealed partial class SessionHub : Hub<ISessionClient>
{
    private readonly SessionManager _sessions;
    private readonly SpeechService _speech;
    private readonly SessionConnections _connections;
    private readonly ILogger<SessionHub> _logger;

    public SessionHub(SessionManager sessions, SpeechService speech, SessionConnections connections, ILogger<SessionHub> logger)
    {
        _sessions = sessions;
        _speech = speech;
        _connections = connections;
        _logger = logger;
    }

    public async Task<JoinResponse> Join(string avatarId)
    {
        var joined = await Run(nameof(Join), () =>
            _sessions.JoinAsync(Context.ConnectionId, avatarId, Context.ConnectionAborted, Context.User?.FindFirst("sub")?.Value)).ConfigureAwait(false);
        _connections.Add(Context.ConnectionId); // from now on the connection gets Stats messages
        return joined;
    }

    public Task<string> Offer(string sdp) => Run(nameof(Offer), () => _sessions.OfferAsync(Context.ConnectionId, sdp, Context.ConnectionAborted));

    public Task AddIceCandidate(IceCandidateMessage candidate) => Run(nameof(AddIceCandidate), () =>
    {
        if (_sessions.Find(Context.ConnectionId) is null)
        {
            throw new SessionRequestException(SessionErrorCode.BadMessage, "Join before sending candidates.");
        }

        if (!IceCandidateValidator.IsValid(candidate, out var problem))
        {
            throw new SessionRequestException(SessionErrorCode.BadMessage, problem);
        }

        // ICE-lite (RFC 8445 §2.5): the server never checks remote candidates; the browser's checks reach it.
        return Task.FromResult(true);
    });

    /// <summary>Speaks <paramref name="text"/> with espeak-ng into this connection's session (voice null = the default); see Bots/README.md.</summary>
    public Task<SpeechAccepted> Speak(string text, string? voice) => Run(nameof(Speak), () =>
    {
        var session = _sessions.Find(Context.ConnectionId) ?? throw new SessionRequestException(SessionErrorCode.BadMessage, "Join before speaking.");
        return _speech.SpeakAsync(session, new SpeechRequest(text, voice), Context.ConnectionAborted);
    });

    public Task<BargeInResponse> BargeIn() => Run(nameof(BargeIn), () => _sessions.BargeInAsync(Context.ConnectionId, Context.ConnectionAborted));

    public Task Leave() => Run(nameof(Leave), async () =>
    {
        await _sessions.LeaveAsync(Context.ConnectionId, SessionCloseReason.Left).ConfigureAwait(false);
        return true;
    });

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        _connections.Remove(Context.ConnectionId);
        await _sessions.LeaveAsync(Context.ConnectionId, SessionCloseReason.Disconnected).ConfigureAwait(false);
        await base.OnDisconnectedAsync(exception).ConfigureAwait(false);
    }

    private async Task<T> Run<T>(string method, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SessionRequestException refused)
        {
            Log.Refused(_logger, method, Context.ConnectionId, refused.Code, refused.Message);
            throw new HubException($"{refused.Code}: {refused.Message}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Hub {Method} from {ConnectionId} refused: {Code}: {Detail}")]
        public static partial void Refused(ILogger logger, string method, string connectionId, string code, string detail);
    }
}
