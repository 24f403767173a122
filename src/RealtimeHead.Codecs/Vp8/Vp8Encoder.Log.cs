using Microsoft.Extensions.Logging;

namespace RealtimeHead.Codecs.Vp8;

public sealed partial class Vp8Encoder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Debug,
            Message = "VP8 encoder created: {Width}x{Height}, {BitrateKbps} kbit/s, cpu-used {CpuUsed}, {Threads} thread(s)")]
        public static partial void Created(ILogger logger, int width, int height, int bitrateKbps, int cpuUsed, int threads);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "VP8 target bitrate {OldKbps} -> {NewKbps} kbit/s")]
        public static partial void BitrateChanged(ILogger logger, int oldKbps, int newKbps);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "VP8 keyframe forced at media time {MediaTimestamp}")]
        public static partial void KeyframeForced(ILogger logger, long mediaTimestamp);
    }
}
