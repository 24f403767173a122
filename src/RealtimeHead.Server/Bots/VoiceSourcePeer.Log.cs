using Microsoft.Extensions.Logging;

namespace RealtimeHead.Server.Bots;

internal sealed partial class VoiceSourcePeer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Push stream opened on session {SessionId}")]
        public static partial void PushOpened(ILogger logger, string sessionId);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information,
            Message = "Push stream closed on session {SessionId} after {ReceivedSeconds:F2} s of audio; {BufferedSeconds:F2} s still to play")]
        public static partial void PushClosed(ILogger logger, string sessionId, double receivedSeconds, double bufferedSeconds);
    }
}
