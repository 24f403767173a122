namespace RealtimeHead.Evaluation.Sync;

/// <summary>The sync of one clip: SyncNet's AV offset and confidence, and the mean distance at every offset.</summary>
/// <param name="Offset">SyncNet's AV offset in frames: <c>vshift − argmin</c>, i.e. minus the audio shift that best matches
/// the video. Negative: the audio lags the video (the audio of frame t is heard at t + |offset|); 0: in sync.</param>
/// <param name="Confidence">median over offsets of the mean distance − its minimum (higher = more confidently in sync at <see cref="Offset"/>).</param>
/// <param name="MinDistance">The smallest mean distance (SyncNet's "Min dist").</param>
/// <param name="MeanDistances">Mean distance for audio shifts −vshift … +vshift (index k ↔ shift k − vshift).</param>
public sealed record SyncScore(int Offset, double Confidence, double MinDistance, IReadOnlyList<double> MeanDistances);

/// <summary>
/// SyncNet's offset search (Chung and Zisserman 2016, Sec. 4; the reference <c>calc_pdist</c> / <c>evaluate</c>): for every
/// video window t and audio shift s in −vshift … +vshift the distance ‖v_t − a_{t+s}‖, where audio windows outside the
/// clip are zero vectors (the reference pads the audio features with zeros); the distances are averaged over t for
/// every s; offset = vshift − argmin_k (the reference's sign), confidence = median_s(mean) − min_s(mean).
/// </summary>
public static class SyncOffsetEstimator
{
    /// <summary>The search range the evaluation uses: ±15 frames (0.6 s).</summary>
    public const int DefaultMaxShift = 15;

    public static SyncScore Estimate(IReadOnlyList<float[]> video, IReadOnlyList<float[]> audio, int maxShift = DefaultMaxShift)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        if (video.Count == 0 || video.Count != audio.Count) throw new ArgumentException($"need the same positive number of video and audio embeddings, got {video.Count} and {audio.Count}");
        var shifts = 2 * maxShift + 1;
        var means = new double[shifts];
        for (var k = 0; k < shifts; k++)
        {
            var s = k - maxShift;
            double sum = 0;
            for (var t = 0; t < video.Count; t++)
            {
                var a = t + s;
                sum += Distance(video[t], a >= 0 && a < audio.Count ? audio[a] : null);
            }
            means[k] = sum / video.Count;
        }
        var argmin = 0;
        for (var k = 1; k < shifts; k++)
        {
            if (means[k] < means[argmin]) argmin = k;
        }
        var sorted = means.Order().ToArray();
        // torch.median returns the lower middle value for an even count; shifts is always odd here.
        var median = sorted[(shifts - 1) / 2];
        return new SyncScore(maxShift - argmin, median - means[argmin], means[argmin], means);
    }

    /// <summary>‖v − a‖; a null audio embedding is the zero vector.</summary>
    private static double Distance(float[] v, float[]? a)
    {
        double sum = 0;
        for (var i = 0; i < v.Length; i++)
        {
            double d = v[i] - (a is null ? 0 : a[i]);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
