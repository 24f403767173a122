using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Signalling;

/// <summary>What the server calls on a connected client (SignalR typed client).</summary>
public interface ISessionClient
{
    /// <summary>The session ended without a Leave (peer closed: consent lost, DTLS failure or timeout; or a failure).</summary>
    Task SessionEnded(SessionEndedMessage message);

    /// <summary>The session's live figures, about once a second while it has a media path (Web:StatsInterval).</summary>
    Task Stats(SessionStatsMessage message);
}
