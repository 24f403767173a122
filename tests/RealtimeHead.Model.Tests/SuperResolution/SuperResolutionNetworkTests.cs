using RealtimeHead.Model.SuperResolution;
using RealtimeHead.Model.Tests.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Tests.SuperResolution;

public sealed class SuperResolutionNetworkTests
{
    [Fact]
    public void Forward_Tiny_GivesFullResolutionImageInRange()
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        var config = S3DNeRFConfig.Tiny;
        using var network = new SuperResolutionNetwork(config);
        network.eval();
        using var noGrad = no_grad();
        var output = network.forward(rand(1, 3 + config.RenderFeatureChannels, 32, 32), rand(1, 3, 128, 128).mul(2).sub(1));
        RenderAssert.Shape([1, 3, 128, 128], output);
        Assert.InRange(output.min().ToDouble(), -1, 1);
        Assert.InRange(output.max().ToDouble(), -1, 1);
        Assert.Equal(4, network.Scale);
        Assert.Equal(8, network.FullResolutionChannels);
    }

    [Fact]
    public void Untrained_ReturnsNearlyTheSourceImage()
    {
        // I_fine = I_src_full + Δ with Δ's conv at a tenth of its usual scale: the background is copied from the start.
        using var scope = NewDisposeScope();
        manual_seed(52);
        var config = S3DNeRFConfig.Tiny;
        using var network = new SuperResolutionNetwork(config);
        network.eval();
        using var noGrad = no_grad();
        var source = rand(2, 3, 128, 128).mul(1.8).sub(0.9);
        var output = network.forward(rand(2, 3 + config.RenderFeatureChannels, 32, 32), source);

        var meanError = (output - source).abs().mean().ToDouble();
        Assert.True(meanError < 0.05, $"untrained output differs from the source by {meanError} on average");
        Assert.True(meanError > 0, "the residual branch contributes nothing");
    }

    [Fact]
    public void Training_KeepsTheResidualSumUnclamped_EvalClampsIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(53);
        var config = S3DNeRFConfig.Tiny;
        using var network = new SuperResolutionNetwork(config);
        using var noGrad = no_grad();
        var coarse = rand(1, 3 + config.RenderFeatureChannels, 32, 32);
        var white = ones(1, 3, 128, 128);

        var trained = network.forward(coarse, white);
        network.eval();
        var evaluated = network.forward(coarse, white);

        Assert.True(trained.max().ToDouble() > 1, "training clamps the residual sum (its gradient would vanish at 1)");
        Assert.Equal(1.0, evaluated.max().ToDouble(), 6);
        Assert.Equal(0.0, trained.clamp(-1, 1).sub(evaluated).abs().max().ToDouble(), 6);
    }

    [Fact]
    public void Forward_ScaleFour_GivesFullResolutionImage()
    {
        using var scope = NewDisposeScope();
        using var network = new SuperResolutionNetwork(5, 8, 32, 8, residualBlocks: 1);
        using var noGrad = no_grad();
        RenderAssert.Shape([2, 3, 32, 32], network.forward(rand(2, 5, 8, 8), rand(2, 3, 32, 32)));
    }

    [Fact]
    public void Backward_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(52);
        using var network = new SuperResolutionNetwork(6, 8, 16, 8, residualBlocks: 2);
        var output = network.forward(rand(2, 6, 8, 8), rand(2, 3, 16, 16).mul(2).sub(1));
        output.square().sum().backward();
        RenderAssert.EveryParameterHasGradient(network);
    }

    [Fact]
    public void Forward_ZeroCoarse_OutputDependsOnTheSource()
    {
        using var scope = NewDisposeScope();
        manual_seed(53);
        using var network = new SuperResolutionNetwork(6, 8, 16, 8);
        using var noGrad = no_grad();
        var coarse = zeros(1, 6, 8, 8);
        var a = network.forward(coarse, rand(1, 3, 16, 16).mul(2).sub(1));
        var b = network.forward(coarse, rand(1, 3, 16, 16).mul(2).sub(1));
        Assert.True(a.sub(b).abs().mean().ToDouble() > 1e-3);
    }

    [Fact]
    public void Training_ZeroCoarse_LearnsToCarryTheSourceIntoTheOuterRegion()
    {
        using var scope = NewDisposeScope();
        manual_seed(54);
        using var network = new SuperResolutionNetwork(6, 8, 16, 8, residualBlocks: 1);
        using var optimizer = new RealtimeHead.Torch.Modules.Adam(network.parameters(), lr: 5e-3);
        // Smooth source content so a few steps suffice: the target's outer region is the source, the inner one is grey.
        var source = F.interpolate(rand(2, 3, 4, 4), [16, 16], mode: InterpolationMode.Bilinear).mul(1.6).sub(0.8);
        var outer = ones(1, 1, 16, 16);
        outer.narrow(2, 4, 8).narrow(3, 4, 8).fill_(0);
        var target = source.mul(outer);
        var coarse = zeros(2, 6, 8, 8);
        double Loss()
        {
            using var noGrad = no_grad();
            return F.mse_loss(network.forward(coarse, source).mul(outer), target).ToDouble();
        }
        var before = Loss();
        for (var step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            F.mse_loss(network.forward(coarse, source).mul(outer), target).backward();
            optimizer.step();
        }
        var after = Loss();
        Assert.True(after < before * 0.2, $"outer-region loss went from {before} to {after}");
    }

    [Fact]
    public void MultiplyAccumulatesPerFrame_Tiny_MatchesHandCount()
    {
        using var network = new SuperResolutionNetwork(S3DNeRFConfig.Tiny);
        long full = 128 * 128, low = 32 * 32;
        var expected = full * 8 * 3 * 9 + low * 32 * 8 * 9 + low * 32 * 16 * 9 + low * 32 * 64
            + 2 * 2 * low * 32 * 32 * 9 + low * 8 * 16 * 32 + full * 8 * 19 * 9 + full * 3 * 8 * 9;
        Assert.Equal(expected, network.MultiplyAccumulatesPerFrame());
        Assert.Equal(80_609_280L, network.MultiplyAccumulatesPerFrame());
        // The count agrees with the weights actually held: every conv's weight elements times its output pixels.
        Assert.Equal(2 * 32 * 32 * 9 * 2 + 2 * 32 * 2, network.named_parameters().Where(p => p.name.StartsWith("blocks", StringComparison.Ordinal)).Sum(p => p.parameter.numel()));
    }

    [Fact]
    public void Forward_WrongShapes_Throw()
    {
        using var scope = NewDisposeScope();
        using var network = new SuperResolutionNetwork(6, 8, 16, 8);
        Assert.Throws<ArgumentException>(() => network.forward(zeros(1, 5, 8, 8), zeros(1, 3, 16, 16)));
        Assert.Throws<ArgumentException>(() => network.forward(zeros(1, 6, 8, 8), zeros(1, 3, 8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuperResolutionNetwork(6, 8, 20, 8));
    }
}
