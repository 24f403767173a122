using Microsoft.Extensions.Logging;

namespace RealtimeHead.Training.Runs;

public sealed partial class TrainingRun
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5510, Level = LogLevel.Information, Message = "Training S3D-NeRF ({Preset}) from step {From} to {To}, seed {Seed}, output {Output}")]
        public static partial void Started(ILogger logger, string preset, long from, long to, long seed, string output);

        [LoggerMessage(EventId = 5511, Level = LogLevel.Information, Message = "Resuming from checkpoint {Path} (step {Step})")]
        public static partial void Resumed(ILogger logger, string path, long step);

        [LoggerMessage(EventId = 5512, Level = LogLevel.Information, Message = "Checkpoint saved: {Path}")]
        public static partial void CheckpointSaved(ILogger logger, string path);

        [LoggerMessage(EventId = 5513, Level = LogLevel.Information, Message = "Validation renders at step {Step}: {Path} (PSNR {Psnr:F2} dB)")]
        public static partial void ValidationWritten(ILogger logger, long step, string path, double psnr);

        [LoggerMessage(EventId = 5514, Level = LogLevel.Warning, Message = "No validation video: {Reason}")]
        public static partial void VideoSkipped(ILogger logger, string reason);

        [LoggerMessage(EventId = 5515, Level = LogLevel.Warning,
            Message = "No lip-sync discriminator weights given: L_sync is measured by an untrained network (run 'realtimehead train sync' first and pass --sync)")]
        public static partial void UntrainedLipSync(ILogger logger);

        [LoggerMessage(EventId = 5516, Level = LogLevel.Information, Message = "Resumed runs keep the checkpoint's lip-sync discriminator; {Path} is not loaded")]
        public static partial void SyncIgnoredOnResume(ILogger logger, string path);

        [LoggerMessage(EventId = 5517, Level = LogLevel.Warning, Message = "No held-out identity (the corpus has {Identities}): validation renders show training clips")]
        public static partial void NoValidationClips(ILogger logger, int identities);

        [LoggerMessage(EventId = 5518, Level = LogLevel.Warning, Message = "Seed {Given} ignored: the resumed run keeps the checkpoint's seed {Seed}")]
        public static partial void SeedIgnored(ILogger logger, long given, long seed);

        [LoggerMessage(EventId = 5519, Level = LogLevel.Information, Message = "No checkpoint in {Path}: starting from step 0")]
        public static partial void NothingToResume(ILogger logger, string path);
    }
}
