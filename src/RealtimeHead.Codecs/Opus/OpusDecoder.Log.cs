using Microsoft.Extensions.Logging;

namespace RealtimeHead.Codecs.Opus;

public sealed partial class OpusDecoder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Dropped a corrupt Opus packet of {Length} bytes (opus error {ErrorCode})")]
        public static partial void CorruptPacket(ILogger logger, int length, int errorCode);
    }
}
