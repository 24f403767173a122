using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Dtls;

internal sealed partial class DtlsServer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "DtlsHandshakeCompleted", Level = LogLevel.Information,
            Message = "DTLS-SRTP handshake completed; client certificate {RemoteFingerprint}.")]
        public static partial void HandshakeCompleted(ILogger logger, string remoteFingerprint);

        [LoggerMessage(EventId = 2, EventName = "DtlsHandshakeFailed", Level = LogLevel.Warning,
            Message = "DTLS-SRTP handshake failed ({Failure}): {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, DtlsHandshakeFailure failure, string reason);

        [LoggerMessage(EventId = 3, EventName = "DtlsClosedByPeer", Level = LogLevel.Information,
            Message = "DTLS association closed by the peer (close_notify).")]
        public static partial void ClosedByPeer(ILogger logger);

        [LoggerMessage(EventId = 4, EventName = "DtlsAssociationFailed", Level = LogLevel.Warning,
            Message = "DTLS association failed after the handshake; SRTP keys stay valid.")]
        public static partial void AssociationFailed(ILogger logger, Exception exception);
    }
}
