using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>Mono float audio between the inbound, resample and feature stages.</summary>
/// <param name="Samples">Values in [-1, 1].</param>
/// <param name="MediaTimestamp">Position of the first sample on the 48 kHz media clock.</param>
/// <param name="Arrived">When the inbound frame arrived (<see cref="TimeProvider"/> timestamp).</param>
/// <param name="Epoch">Flush epoch.</param>
internal sealed record PcmBlock(float[] Samples, long MediaTimestamp, long Arrived, int Epoch);

/// <summary>Feature frames with their speech decision, from the feature stage to the window stage.</summary>
internal sealed record FeatureBlock(IReadOnlyList<(FeatureFrame Frame, bool IsSpeech)> Frames, long Arrived, long Featured, int Epoch);

/// <summary>The voice as it arrived, waiting for its playout time.</summary>
internal sealed record OutboundAudio(AudioFrame Frame, long Arrived, int Epoch);

/// <summary>An I420 frame waiting for its playout time; <see cref="Frame"/> is null for a repeat.</summary>
internal sealed record ConvertedVideo(VideoFrame? Frame, long MediaTimestamp, FrameKind Kind, long Deadline, int Epoch, FrameTimings Timings);
