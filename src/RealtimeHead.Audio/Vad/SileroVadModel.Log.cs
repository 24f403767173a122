using Microsoft.Extensions.Logging;

namespace RealtimeHead.Audio.Vad;

public sealed partial class SileroVadModel
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1610, Level = LogLevel.Information,
            Message = "Silero VAD loaded from {ModelPath}: {SampleRate} Hz, {WindowSamples}-sample windows")]
        public static partial void Loaded(ILogger logger, string modelPath, int sampleRate, int windowSamples);
    }
}
