using Microsoft.Extensions.Logging;
using RealtimeHead.Pipeline.Scheduling;

namespace RealtimeHead.Pipeline;

public sealed partial class PipelineSession
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 200, EventName = "PipelineSessionStarted", Level = LogLevel.Information,
            Message = "Pipeline of session {SessionId} started: {FrontEnd} features, window {WindowFrames} with lookahead {Lookahead}.")]
        public static partial void Started(ILogger logger, string sessionId, string frontEnd, int windowFrames, int lookahead);

        [LoggerMessage(EventId = 201, EventName = "PipelineSessionNotAdmitted", Level = LogLevel.Warning,
            Message = "Pipeline of session {SessionId} not started ({Reason}): {Detail}")]
        public static partial void NotAdmitted(ILogger logger, string sessionId, AdmissionRefusalReason reason, string detail);

        [LoggerMessage(EventId = 202, EventName = "PipelineFlushed", Level = LogLevel.Information,
            Message = "Session {SessionId} flushed in {ElapsedMs:F1} ms at video {VideoTimestamp}, audio {AudioEnd} (complete: {Complete}).")]
        public static partial void Flushed(ILogger logger, string sessionId, double elapsedMs, long videoTimestamp, long audioEnd, bool complete);

        [LoggerMessage(EventId = 203, EventName = "PipelineSendFailed", Level = LogLevel.Warning,
            Message = "Session {SessionId}: sending {Media} failed; the frame is dropped.")]
        public static partial void SendFailed(ILogger logger, string sessionId, string media, Exception exception);

        [LoggerMessage(EventId = 204, EventName = "PipelineStageFailed", Level = LogLevel.Error,
            Message = "Session {SessionId}: a pipeline stage failed; the session's pipeline stops.")]
        public static partial void StageFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 205, EventName = "PipelineSessionStopped", Level = LogLevel.Information,
            Message = "Pipeline of session {SessionId} stopped after {VideoFrames} video and {AudioFrames} audio frames.")]
        public static partial void Stopped(ILogger logger, string sessionId, long videoFrames, long audioFrames);
    }
}
