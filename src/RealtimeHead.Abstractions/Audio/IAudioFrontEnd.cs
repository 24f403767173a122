namespace RealtimeHead.Audio;

/// <summary>One frame of speech features with the media-clock position it describes.</summary>
/// <param name="Values">The feature vector, <see cref="IAudioFrontEnd.FeatureDim"/> long.</param>
/// <param name="MediaTimestamp">Centre of the frame's analysis window on the session's 48 kHz media clock.</param>
public sealed record FeatureFrame(float[] Values, long MediaTimestamp);

/// <summary>
/// A streaming speech-feature extractor (log-mel, wav2vec2 ...) over 16 kHz mono audio. The pipeline feeds audio as
/// it arrives and receives each feature frame once enough audio (including the front-end's lookahead) has been seen.
/// </summary>
public interface IAudioFrontEnd : IDisposable
{
    /// <summary>Short name for logs and metrics ("log-mel", "wav2vec2").</summary>
    string Name { get; }

    /// <summary>Length of each feature vector (80 for log-mel, 768 for wav2vec2-base).</summary>
    int FeatureDim { get; }

    /// <summary>Feature frames per second (50: two per 25 fps video frame).</summary>
    int FramesPerSecond { get; }

    /// <summary>Audio after a frame's centre that must arrive before the frame is emitted, in 16 kHz samples.</summary>
    int LookaheadSamples { get; }

    /// <summary>
    /// Feeds 16 kHz mono samples in [-1, 1] whose first sample sits at <paramref name="mediaTimestamp"/> (48 kHz clock)
    /// and returns the feature frames completed by them, in order.
    /// </summary>
    IReadOnlyList<FeatureFrame> Process(ReadOnlySpan<float> samples, long mediaTimestamp);

    /// <summary>Forgets buffered audio (barge-in, new utterance).</summary>
    void Reset();
}
