using Microsoft.Extensions.Logging;

namespace RealtimeHead.Server.Sessions;

internal sealed partial class SessionManager
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Session {SessionId} joined with avatar {AvatarId}")]
        public static partial void Joined(ILogger logger, string sessionId, string avatarId);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Session {SessionId} answered (peer {PeerSessionId}) in {Milliseconds:F1} ms")]
        public static partial void Answered(ILogger logger, string sessionId, string peerSessionId, double milliseconds);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Session {SessionId} closed ({Reason}) after {Seconds:F1} s")]
        public static partial void Closed(ILogger logger, string sessionId, string reason, double seconds);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Session {SessionId} barge-in: audio sent up to {AudioEnd}, flushed in {Milliseconds:F1} ms")]
        public static partial void BargedIn(ILogger logger, string sessionId, long audioEnd, double milliseconds);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Session {SessionId}: teardown failed")]
        public static partial void TeardownFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Session {SessionId}: could not tell the client that the session ended")]
        public static partial void NotifyFailed(ILogger logger, string sessionId, Exception exception);
    }
}
