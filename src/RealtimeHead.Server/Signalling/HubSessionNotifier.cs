using Microsoft.AspNetCore.SignalR;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Signalling;

/// <summary>Tells a client over its hub connection that its session ended.</summary>
internal sealed class HubSessionNotifier(IHubContext<SessionHub, ISessionClient> hub) : ISessionNotifier
{
    public Task SessionEndedAsync(string connectionId, string sessionId, string reason) =>
        hub.Clients.Client(connectionId).SessionEnded(new SessionEndedMessage(sessionId, reason));
}
