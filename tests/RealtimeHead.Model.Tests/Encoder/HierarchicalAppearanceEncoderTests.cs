using RealtimeHead.Model.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Encoder;

public sealed class HierarchicalAppearanceEncoderTests
{
    [Fact]
    public void Forward_TinyPreset_HalvesEachLevelAndProjectsToThreePlanes()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var config = S3DNeRFConfig.Tiny;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var pyramid = encoder.forward(rand([1, 3, 128, 128]) * 2 - 1);

        Assert.Equal(3, pyramid.Levels);
        Assert.Equal(new long[] { 1, 3, 16, 64, 64 }, pyramid.Planes[0].shape);
        Assert.Equal(new long[] { 1, 3, 16, 32, 32 }, pyramid.Planes[1].shape);
        Assert.Equal(new long[] { 1, 3, 16, 16, 16 }, pyramid.Planes[2].shape);
        Assert.Equal(new long[] { 1, 32, 64, 64 }, pyramid.Features[0].shape);
        Assert.Equal(new long[] { 1, 64, 32, 32 }, pyramid.Features[1].shape);
        Assert.Equal(new long[] { 1, 96, 16, 16 }, pyramid.Features[2].shape);
        Assert.Equal(16, pyramid.PlaneChannels);
    }

    [Fact]
    public void Forward_MicroConfigBatchOfTwo_KeepsBatchAndIsFinite()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var pyramid = encoder.forward(rand([2, 3, 32, 32]) * 2 - 1);

        Assert.Equal(new long[] { 2, 3, 4, 16, 16 }, pyramid.Planes[0].shape);
        Assert.Equal(new long[] { 2, 3, 4, 8, 8 }, pyramid.Planes[1].shape);
        Assert.Equal(new long[] { 2, 8, 16, 16 }, pyramid.Features[0].shape);
        Assert.Equal(new long[] { 2, 12, 8, 8 }, pyramid.Features[1].shape);
        Assert.True(pyramid.Planes.All(p => p.isfinite().all().item<bool>()));
        // The two images differ, so their planes must too (no batch mixing or constant output).
        var difference = (pyramid.Planes[0][0] - pyramid.Planes[0][1]).abs().max().item<float>();
        Assert.True(difference > 1e-4f, $"planes of different images differ by only {difference}");
    }

    [Fact]
    public void Backward_ProbeOfAllPlanes_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var pyramid = encoder.forward(rand([2, 3, 32, 32]) * 2 - 1);
        var loss = pyramid.Planes.Select(GradientAssert.ProbeLoss).Aggregate((a, b) => a + b);
        loss.backward();
        GradientAssert.EveryParameterHasGradient(encoder);
    }

    [Fact]
    public void Backward_CoarsestLevelOnly_StillReachesFinestDownBlock()
    {
        // F^{L-1} = D^{L-1} depends on Down^0 through the bottom-up chain (Eq. 1).
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        using var pyramid = encoder.forward(rand([1, 3, 32, 32]) * 2 - 1);
        GradientAssert.ProbeLoss(pyramid.Planes[1]).backward();
        var firstConv = encoder.named_parameters().First(p => p.name == "down.0.0.weight").parameter;
        Assert.True(firstConv.grad!.abs().sum().item<float>() > 0);
        var finestFuse = encoder.named_parameters().First(p => p.name == "fuse.0.weight").parameter;
        Assert.Null(finestFuse.grad); // F^0's fusion does not feed the coarsest planes
    }

    [Theory]
    [InlineData(1, 3, 16, 32)]
    [InlineData(1, 1, 32, 32)]
    public void Forward_WrongImageShape_Throws(long b, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        using var encoder = new HierarchicalAppearanceEncoder(TestConfigs.Micro);
        Assert.Throws<ArgumentException>(() => encoder.forward(zeros([b, c, h, w])));
    }

    [Theory]
    [InlineData(32, 8)]
    [InlineData(96, 8)]
    [InlineData(12, 6)]
    [InlineData(7, 7)]
    [InlineData(11, 1)]
    public void NormGroups_PicksLargestDivisorUpToEight(long channels, long expected) =>
        Assert.Equal(expected, HierarchicalAppearanceEncoder.NormGroups(channels));
}
