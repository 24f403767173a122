using RealtimeHead.Media;

using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Offline;

/// <summary>What an offline run produced.</summary>
/// <param name="VideoFrames">Frames written to the sink (one per frame interval of the audio, rounded up).</param>
/// <param name="AudioSamples">48 kHz samples written to the sink (exactly the input's).</param>
/// <param name="FilledFrames">Frame slots the pipeline sent nothing for (dropped frames), filled with the previous frame.</param>
/// <param name="FilledAudioSamples">Audio samples the pipeline sent nothing for, filled with silence.</param>
/// <param name="Stats">The session's counters (frames by kind, drops by reason).</param>
/// <param name="MediaDuration">Media time the run covered, tail included.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record OfflineRenderResult(int VideoFrames, long AudioSamples, int FilledFrames, long FilledAudioSamples,
    PipelineSessionStats Stats, TimeSpan MediaDuration, TimeSpan Elapsed);

/// <summary>Progress of an offline run, reported after each frame written.</summary>
/// <param name="FramesDone">Video frames written.</param>
/// <param name="FramesTotal">Video frames the run will write.</param>
/// <param name="Elapsed">Wall-clock time so far.</param>
public readonly record struct OfflineRenderProgress(int FramesDone, int FramesTotal, TimeSpan Elapsed);

/// <summary>Where an offline run's output goes: video frames in order, then audio in order, both contiguous from 0.</summary>
public interface IOfflineMediaSink
{
    /// <summary>Frame <c>k</c> of the output (media timestamp <c>k × 48 000 / frame rate</c>), I420 at the renderer's frame size.</summary>
    ValueTask WriteVideoAsync(VideoFrame frame, CancellationToken cancellationToken);

    /// <summary>The next 48 kHz mono samples of the output voice.</summary>
    ValueTask WriteAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken);
}
