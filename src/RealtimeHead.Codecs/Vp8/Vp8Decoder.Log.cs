using Microsoft.Extensions.Logging;

namespace RealtimeHead.Codecs.Vp8;

public sealed partial class Vp8Decoder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Dropped a corrupt VP8 frame of {Length} bytes: {Reason}")]
        public static partial void CorruptFrame(ILogger logger, int length, string reason);
    }
}
