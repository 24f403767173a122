using Microsoft.Extensions.Logging;

namespace RealtimeHead.Server.Avatars;

internal sealed partial class AvatarStore
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Avatar store: {Count} avatars in {Directory}")]
        public static partial void Indexed(ILogger logger, int count, string directory);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Avatar store: skipped {Path}: {Why}")]
        public static partial void SkippedFile(ILogger logger, string path, string why);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Avatar {AvatarId} uploaded ({Width}x{Height}, stored {Side}x{Side})")]
        public static partial void Uploaded(ILogger logger, string avatarId, int width, int height, int side);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Avatar {AvatarId} deleted")]
        public static partial void Deleted(ILogger logger, string avatarId);
    }
}
