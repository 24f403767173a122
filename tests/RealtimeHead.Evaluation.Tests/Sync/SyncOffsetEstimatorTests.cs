using RealtimeHead.Evaluation.Sync;

namespace RealtimeHead.Evaluation.Tests.Sync;

public sealed class SyncOffsetEstimatorTests
{
    /// <summary>A clip's "speech content": one random unit embedding per window, seeded.</summary>
    private static float[][] Content(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var v = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }).ToArray();
    }

    /// <summary>Audio embeddings of the clip with its audio delayed by <paramref name="delay"/> windows (silence before it).</summary>
    private static float[][] Delayed(float[][] content, int delay, float[] silence) =>
        Enumerable.Range(0, content.Length).Select(t => t - delay >= 0 && t - delay < content.Length ? content[t - delay] : silence).ToArray();

    [Fact]
    public void Estimate_AlignedClip_OffsetZeroAndPositiveConfidence()
    {
        var content = Content(60, 1);

        var score = SyncOffsetEstimator.Estimate(content, content);

        Assert.Equal(0, score.Offset);
        Assert.Equal(0, score.MinDistance, 6);
        Assert.True(score.Confidence > 1, $"confidence {score.Confidence}");
        Assert.Equal(31, score.MeanDistances.Count);
    }

    [Fact]
    public void Estimate_AudioDelayedBy10Frames_OffsetMinus10AndLowerConfidence()
    {
        var content = Content(60, 2);
        var silence = Content(1, 99)[0];

        var aligned = SyncOffsetEstimator.Estimate(content, content);
        var delayed = SyncOffsetEstimator.Estimate(content, Delayed(content, 10, silence));

        // SyncNet's sign: audio late → negative offset.
        Assert.Equal(-10, delayed.Offset);
        Assert.True(delayed.Confidence < aligned.Confidence, $"{delayed.Confidence} vs {aligned.Confidence}");
        Assert.True(delayed.MinDistance > 0);
    }

    [Fact]
    public void Estimate_AudioEarlyBy4Frames_OffsetPlus4()
    {
        var content = Content(40, 3);
        var silence = Content(1, 98)[0];

        var early = SyncOffsetEstimator.Estimate(content, Delayed(content, -4, silence));

        Assert.Equal(4, early.Offset);
    }

    [Fact]
    public void Estimate_ConfidenceIsMedianMinusMin()
    {
        var content = Content(30, 4);
        var audio = Content(30, 5);

        var score = SyncOffsetEstimator.Estimate(content, audio, maxShift: 3);

        var sorted = score.MeanDistances.Order().ToArray();
        Assert.Equal(sorted[3] - sorted[0], score.Confidence, 12);
        Assert.Equal(score.MinDistance, sorted[0], 12);
        Assert.Equal(3 - score.MeanDistances.ToList().IndexOf(sorted[0]), score.Offset);
    }

    [Fact]
    public void Estimate_MismatchedCounts_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyncOffsetEstimator.Estimate(Content(5, 1), Content(4, 1)));
    }
}
