using Microsoft.Extensions.Logging;

namespace RealtimeHead.Training.Runs;

public sealed partial class LipSyncTrainingRun
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5530, Level = LogLevel.Information,
            Message = "Training the lip-sync discriminator ({Preset}) for {Steps} steps on {Clips} clips, lip crops {Height}x{Width}")]
        public static partial void Started(ILogger logger, string preset, long steps, int clips, int height, int width);

        [LoggerMessage(EventId = 5531, Level = LogLevel.Information,
            Message = "Lip-sync discriminator: {Steps} steps, saved {Path}; held-out sync accuracy {Accuracy:P1}")]
        public static partial void Finished(ILogger logger, long steps, string path, double accuracy);
    }
}
