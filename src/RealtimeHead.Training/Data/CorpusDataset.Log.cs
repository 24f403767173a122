using Microsoft.Extensions.Logging;

namespace RealtimeHead.Training.Data;

public sealed partial class CorpusDataset
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5501, Level = LogLevel.Warning, Message = "Skipping corpus entry {Path}: {Problem}")]
        public static partial void Skipped(ILogger logger, string path, string problem);

        [LoggerMessage(EventId = 5502, Level = LogLevel.Information,
            Message = "Corpus {Root}: {TrainClips} training clips of {TrainIdentities} identities, {ValidationClips} validation clips of {ValidationIdentities} identities, {Skipped} entries skipped")]
        public static partial void Opened(ILogger logger, string root, int trainClips, int trainIdentities, int validationClips, int validationIdentities, int skipped);

        [LoggerMessage(EventId = 5503, Level = LogLevel.Warning,
            Message = "Corpus intrinsics fx = {Focal:F3} image widths differ from the model's focal length {Expected:F3}: renders will not line up with the frames")]
        public static partial void FocalMismatch(ILogger logger, double focal, double expected);
    }
}
