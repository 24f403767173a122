using Microsoft.Extensions.Logging;

namespace RealtimeHead.Pipeline.Scheduling;

public sealed partial class RenderScheduler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, EventName = "PipelineSessionAdmitted", Level = LogLevel.Information,
            Message = "Session {SessionId} admitted: {Detail}")]
        public static partial void SessionAdmitted(ILogger logger, string sessionId, string detail);

        [LoggerMessage(EventId = 101, EventName = "PipelineSessionRefused", Level = LogLevel.Warning,
            Message = "Session {SessionId} refused ({Reason}): {Detail}")]
        public static partial void SessionRefused(ILogger logger, string sessionId, AdmissionRefusalReason reason, string detail);

        [LoggerMessage(EventId = 102, EventName = "PipelineDegradationChanged", Level = LogLevel.Information,
            Message = "Degradation {Previous} -> {Current} (predicted {PredictedMs:F1} ms for a batch of {BatchSize} on the old rung).")]
        public static partial void LevelChanged(ILogger logger, DegradationLevel previous, DegradationLevel current, double predictedMs, int batchSize);

        [LoggerMessage(EventId = 103, EventName = "PipelineRenderFailed", Level = LogLevel.Error,
            Message = "Render of a batch of {BatchSize} failed; its frames go out as repeats.")]
        public static partial void RenderFailed(ILogger logger, int batchSize, Exception exception);

        [LoggerMessage(EventId = 104, EventName = "PipelineTickFailed", Level = LogLevel.Error, Message = "Frame tick failed.")]
        public static partial void TickFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 105, EventName = "PipelineRenderThreadStuck", Level = LogLevel.Warning,
            Message = "The render thread did not finish its batch within {Timeout} of shutdown; it is abandoned.")]
        public static partial void RenderThreadStuck(ILogger logger, TimeSpan timeout);

        [LoggerMessage(EventId = 106, EventName = "PipelineRenderCalibrated", Level = LogLevel.Information,
            Message = "Render cost of one frame: Full {FullMs:F1} ms, NoSuperResolution {NoSuperResolutionMs:F1} ms, " +
                "LowResolution {LowResolutionMs:F1} ms; the ladder starts at {Level}.")]
        public static partial void Calibrated(ILogger logger, double fullMs, double noSuperResolutionMs, double lowResolutionMs, DegradationLevel level);
    }
}
