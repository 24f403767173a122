using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Peer;

public sealed partial class WebRtcEndpoint
{
    [LoggerMessage(EventId = 1650, Level = LogLevel.Information, Message = "Peer session {SessionId} created (ufrag {Ufrag}, Opus PT {AudioPayloadType}, VP8 PT {VideoPayloadType})")]
    private static partial void LogSessionCreated(ILogger logger, string sessionId, string ufrag, byte audioPayloadType, byte videoPayloadType);

    [LoggerMessage(EventId = 1651, Level = LogLevel.Information, Message = "Offer rejected ({Reason}): {Detail}")]
    private static partial void LogOfferRejected(ILogger logger, string reason, string detail);
}
