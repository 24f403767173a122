using Microsoft.Extensions.Logging;

namespace RealtimeHead.Server.Signalling;

internal sealed partial class SessionStatsBroadcaster
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Stats for session {SessionId} could not be sent")]
        public static partial void SendFailed(ILogger logger, string sessionId, Exception exception);
    }
}
