namespace RealtimeHead.Server.Sessions;

/// <summary>How the session layer tells a client that its session ended without being asked (peer closed, failure).</summary>
internal interface ISessionNotifier
{
    Task SessionEndedAsync(string connectionId, string sessionId, string reason);
}
