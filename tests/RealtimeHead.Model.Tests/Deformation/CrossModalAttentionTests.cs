using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Tests.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

public sealed class CrossModalAttentionTests
{
    [Fact]
    public void Forward_Tiny_ShapesAndWeightsSumToOneOverAudioSteps()
    {
        using var scope = NewDisposeScope();
        manual_seed(40);
        using var attention = new CrossModalAttention(S3DNeRFConfig.Tiny);
        var (output, weights) = attention.forward(randn(2, 64, 64), randn(2, 4, 64));

        Assert.Equal(new long[] { 2, 64, 64 }, output.shape);     // F_cm [B, H_s·W_s, AttentionDim]
        Assert.Equal(new long[] { 2, 4, 64, 4 }, weights.shape);  // [B, heads, H_s·W_s, T_a]
        Assert.All(weights.sum(-1).data<float>(), s => Assert.Equal(1f, s, 5));
        Assert.True(weights.ge(0).all().item<bool>());
    }

    [Fact]
    public void Forward_SingleAudioStep_OutputIsThatStepsProjectedValueForEveryToken()
    {
        // With one key, softmax is 1 and Eq. 3 reduces to W^O(a W^V) for every query.
        using var scope = NewDisposeScope();
        manual_seed(41);
        using var attention = new CrossModalAttention(queryDim: 5, keyDim: 3, attentionDim: 4, heads: 2);
        var audio = randn(1, 1, 3);
        var (first, _) = attention.forward(randn(1, 6, 5), audio);
        var (second, _) = attention.forward(randn(1, 6, 5), audio);
        SlotAttentionTests.AssertClose(first, second, 1e-6);
        SlotAttentionTests.AssertClose(first[0, 0], first[0, 5], 1e-6);
    }

    [Fact]
    public void Backward_ReachesEveryProjection()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        using var attention = new CrossModalAttention(TestConfigs.Micro);
        var (output, _) = attention.forward(randn(2, 16, 8), randn(2, 4, 8));
        GradientAssert.ProbeLoss(output).backward();
        GradientAssert.EveryParameterHasGradient(attention);
    }

    [Fact]
    public void Heatmap_AveragesChannelsIntoTheGrid()
    {
        using var scope = NewDisposeScope();
        // Token n holds channels (n, n + 2): mean n + 1, laid out row-major on a 2x2 grid.
        var correlation = tensor(new float[] { 0, 2, 1, 3, 2, 4, 3, 5 }, [1, 4, 2]);
        var heatmap = CrossModalAttention.Heatmap(correlation, 2);
        Assert.Equal(new long[] { 1, 2, 2 }, heatmap.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, heatmap.data<float>());
    }

    [Fact]
    public void Constructor_AttentionDimNotDivisibleByHeads_Throws() =>
        Assert.Throws<ArgumentException>(() => new CrossModalAttention(4, 4, 10, 4));
}
