using RealtimeHead.Audio;

namespace RealtimeHead.Pipeline.Idle;

/// <summary>
/// The feature vector of digital silence for a front-end: what a closed mouth sounds like to the model. Whatever the
/// front-end (log-mel floor, wav2vec2 silence embedding), it is measured, not assumed.
/// </summary>
internal static class SilenceFeatures
{
    /// <summary>
    /// Feeds one second of zeros, takes the last frame produced (past any start-up transient), then resets the
    /// front-end so the measurement leaves no trace. A front-end that produces nothing yields zeros.
    /// </summary>
    public static float[] Measure(IAudioFrontEnd frontEnd)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        var zeros = new float[16_000];
        var frames = frontEnd.Process(zeros, 0);
        frontEnd.Reset();
        return frames.Count > 0 ? (float[])frames[^1].Values.Clone() : new float[frontEnd.FeatureDim];
    }
}
