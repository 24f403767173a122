using Microsoft.Extensions.Logging;

namespace RealtimeHead.Codecs.Opus;

public sealed partial class OpusEncoder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1401, Level = LogLevel.Debug,
            Message = "Opus encoder created: {Channels} channel(s), {Bitrate} bit/s, FEC {Fec} for {LossPercent}% loss, DTX {Dtx}")]
        public static partial void Created(ILogger logger, int channels, int bitrate, bool fec, int lossPercent, bool dtx);
    }
}
