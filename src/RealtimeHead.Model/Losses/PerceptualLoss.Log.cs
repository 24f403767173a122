using Microsoft.Extensions.Logging;

namespace RealtimeHead.Model.Losses;

public sealed partial class PerceptualLoss
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5401, Level = LogLevel.Warning,
            Message = "No VGG19 weights given: the perceptual loss L_per uses the multi-scale edge + SSIM substitute, not the paper's VGG19 features")]
        public static partial void UsingSubstitute(ILogger logger);

        [LoggerMessage(EventId = 5402, Level = LogLevel.Information,
            Message = "Perceptual loss: loaded VGG19 features weights from {Path} ({Count} tensors)")]
        public static partial void LoadedVgg(ILogger logger, string path, int count);
    }
}
