using RealtimeHead.Model.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Rendering;

public sealed class TriPlaneDecoderTests
{
    [Fact]
    public void Forward_Tiny_GivesDocumentedShapesAndRanges()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        var config = S3DNeRFConfig.Tiny;
        using var decoder = new TriPlaneDecoder(config, inputFeatures: config.PlaneChannels * config.Levels);
        var output = decoder.forward(randn(2, 50, 48).mul(3));
        RenderAssert.Shape([2, 50, 1], output.Sigma);
        RenderAssert.Shape([2, 50, 3], output.Rgb);
        RenderAssert.Shape([2, 50, config.RenderFeatureChannels], output.Features);
        Assert.True(output.Sigma.min().ToDouble() >= 0);
        Assert.InRange(output.Rgb.min().ToDouble(), -0.001, 1.001);
        Assert.InRange(output.Rgb.max().ToDouble(), -0.001, 1.001);
        Assert.InRange(output.Features.min().ToDouble(), -0.001, 1.001);
        Assert.InRange(output.Features.max().ToDouble(), -0.001, 1.001);
    }

    [Fact]
    public void Forward_WithConditioning_UsesIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        using var decoder = new TriPlaneDecoder(8, 16, 4, conditioningFeatures: 5);
        var features = randn(1, 10, 8);
        var a = decoder.forward(features, zeros(1, 10, 5));
        var b = decoder.forward(features, ones(1, 10, 5));
        Assert.True(a.Rgb.sub(b.Rgb).abs().max().ToDouble() > 1e-4);
        Assert.Throws<ArgumentException>(() => decoder.forward(features));
        Assert.Throws<ArgumentException>(() => decoder.forward(randn(1, 10, 7), zeros(1, 10, 5)));
    }

    [Fact]
    public void Forward_TruncatedExp_IsPositiveAndBounded()
    {
        using var scope = NewDisposeScope();
        manual_seed(33);
        using var decoder = new TriPlaneDecoder(4, 8, 0, hiddenLayers: 2, density: DensityActivation.TruncatedExp);
        var output = decoder.forward(randn(1, 100, 4).mul(100));
        Assert.True(output.Sigma.min().ToDouble() > 0);
        Assert.True(output.Sigma.max().ToDouble() <= Math.Exp(15) * 1.0001);
        RenderAssert.Shape([1, 100, 0], output.Features);
    }

    [Fact]
    public void Backward_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(34);
        using var decoder = new TriPlaneDecoder(6, 16, 3, conditioningFeatures: 2, hiddenLayers: 2);
        var output = decoder.forward(randn(2, 20, 6), randn(2, 20, 2));
        output.Sigma.sum().add(output.Rgb.sum()).add(output.Features.sum()).backward();
        RenderAssert.EveryParameterHasGradient(decoder);
    }

    [Fact]
    public void MultiplyAccumulatesPerPoint_CountsTheLinearLayers()
    {
        using var decoder = new TriPlaneDecoder(48, 32, 13);
        Assert.Equal(48 * 32 + 32 * 17, decoder.MultiplyAccumulatesPerPoint);
        using var deeper = new TriPlaneDecoder(10, 8, 2, conditioningFeatures: 3, hiddenLayers: 3);
        Assert.Equal(13 * 8 + 2 * 8 * 8 + 8 * 6, deeper.MultiplyAccumulatesPerPoint);
    }
}
