using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Encoder;
using RealtimeHead.Model.Tests.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

public sealed class FeatureAggregatorTests
{
    [Fact]
    public void Forward_TinyPyramid_GivesOneSlotMixturePerGridCell()
    {
        using var scope = NewDisposeScope();
        manual_seed(20);
        var config = S3DNeRFConfig.Tiny;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var aggregator = new FeatureAggregator(config);
        using var pyramid = encoder.forward(rand([1, 3, 128, 128]) * 2 - 1);

        var (embedding, slots, attention) = aggregator.Aggregate(pyramid);

        Assert.Equal(new long[] { 1, 64, 64 }, embedding.shape); // [B, H_s·W_s, D_slot]
        Assert.Equal(new long[] { 1, 8, 64 }, slots.shape);
        Assert.Equal(new long[] { 1, 64, 8 }, attention.shape);
        SlotAttentionTests.AssertClose(attention.matmul(slots), embedding, 1e-6);
    }

    [Fact]
    public void Forward_CoarsestLevelSmallerThanGrid_UpsamplesIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var config = TestConfigs.Micro with { SlotGrid = 16 }; // levels are 16x16 and 8x8
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var aggregator = new FeatureAggregator(config);
        using var pyramid = encoder.forward(rand([2, 3, 32, 32]) * 2 - 1);
        Assert.Equal(new long[] { 2, 256, 8 }, aggregator.forward(pyramid).shape);
    }

    [Fact]
    public void Forward_Eval_TokensDifferAcrossTheFace()
    {
        // The per-token mixture keeps F_agg a map: cells with different content get different vectors.
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var aggregator = new FeatureAggregator(TestConfigs.Micro);
        aggregator.eval();
        using var pyramid = encoder.forward(rand([1, 3, 32, 32]) * 2 - 1);
        var embedding = aggregator.forward(pyramid);
        var spread = embedding.std(1).mean().item<float>();
        Assert.True(spread > 1e-4f, $"F_agg varies across tokens by only {spread}");
    }

    [Fact]
    public void Backward_MicroConfig_ReachesEveryAggregatorAndEncoderParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var aggregator = new FeatureAggregator(TestConfigs.Micro);
        using var pyramid = encoder.forward(rand([2, 3, 32, 32]) * 2 - 1);
        GradientAssert.ProbeLoss(aggregator.forward(pyramid)).backward();
        GradientAssert.EveryParameterHasGradient(aggregator);
        // Features F^i feed the slots; only the plane projections are not on this path.
        Assert.All(encoder.named_parameters().Where(p => !p.name.StartsWith("toPlanes", StringComparison.Ordinal)),
            p => Assert.NotNull(p.parameter.grad));
    }

    [Fact]
    public void Forward_PyramidOfAnotherConfig_Throws()
    {
        using var scope = NewDisposeScope();
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var aggregator = new FeatureAggregator(TestConfigs.Micro with { EncoderChannels = [8, 16] });
        using var pyramid = encoder.forward(zeros([1, 3, 32, 32]));
        Assert.Throws<ArgumentException>(() => aggregator.forward(pyramid));
    }
}
