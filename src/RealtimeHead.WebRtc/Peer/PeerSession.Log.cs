using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Peer;

public sealed partial class PeerSession
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Peer session {SessionId} connected (DTLS-SRTP up) with {RemoteEndPoint}")]
    private static partial void LogConnected(ILogger logger, string sessionId, string remoteEndPoint);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Peer session {SessionId} closing: {Reason}")]
    private static partial void LogClosing(ILogger logger, string sessionId, PeerCloseReason reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Peer session {SessionId} closed ({Reason}); resources released")]
    private static partial void LogClosed(ILogger logger, string sessionId, PeerCloseReason reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Debug, Message = "Peer session {SessionId} dropped a datagram that failed processing")]
    private static partial void LogProcessingFault(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Error, Message = "Peer session {SessionId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Warning, Message = "Peer session {SessionId}: a {Event} handler threw")]
    private static partial void LogHandlerFault(ILogger logger, string sessionId, string @event, Exception exception);
}
