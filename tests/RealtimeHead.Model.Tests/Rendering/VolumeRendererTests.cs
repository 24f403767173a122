using RealtimeHead.Model.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Rendering;

public sealed class VolumeRendererTests
{
    [Fact]
    public void Deltas_BothRules_MatchHandValues()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1.2f, 1.5f, 1.9f }, [1, 1, 3]);
        var near = full([1, 1, 1], 1.0);
        var far = full([1, 1, 1], 2.0);
        RenderAssert.Close([0.35f, 0.35f, 0.3f], new VolumeRenderer().Deltas(t, near, far), 1e-6);
        RenderAssert.Close([0.3f, 0.4f, 0.1f], new VolumeRenderer(deltaRule: DeltaRule.Forward).Deltas(t, near, far), 1e-6);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(7.0)]
    public void Weights_ConstantDensity_OpacityIsOneMinusExpOfSigmaTimesChord(double sigma)
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        // Uneven sorted samples on rays of different chords: the segments tile [near, far] whatever the placement.
        var near = tensor(new float[] { 1.0f, 0.3f, 2.0f }, [1, 3, 1]);
        var far = tensor(new float[] { 2.0f, 0.5f, 3.7f }, [1, 3, 1]);
        var (t, _) = near.add(far.sub(near).mul(rand(1, 3, 9))).sort(-1);
        var weights = new VolumeRenderer().Weights(full([1, 3, 9], sigma), t, near, far);
        var chords = new[] { 1.0, 0.2, 1.7 };
        RenderAssert.Close(chords.Select(c => (float)(1 - Math.Exp(-sigma * c))).ToArray(), weights.sum(-1), 1e-5);
    }

    [Fact]
    public void Weights_ConstantDensity_TransmittanceBeforeEachSampleIsExpOfSigmaTimesLength()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1.1f, 1.3f, 1.6f, 1.9f }, [1, 1, 4]);
        var near = full([1, 1, 1], 1.0);
        var far = full([1, 1, 1], 2.0);
        var weights = new VolumeRenderer(deltaRule: DeltaRule.Forward).Weights(full([1, 1, 4], 2.0), t, near, far);
        // Forward rule: sample i stands for [t_i, t_{i+1}]; T_i = exp(−σ(t_i − t_0)), α_i = 1 − exp(−σδ_i).
        double[] deltas = [0.2, 0.3, 0.3, 0.1];
        var expected = new float[4];
        var travelled = 0.0;
        for (var i = 0; i < 4; i++)
        {
            expected[i] = (float)(Math.Exp(-2 * travelled) * (1 - Math.Exp(-2 * deltas[i])));
            travelled += deltas[i];
        }
        RenderAssert.Close(expected, weights, 1e-6);
    }

    [Fact]
    public void Composite_EmptySpace_GivesBackgroundZeroOpacityAndDepth()
    {
        using var scope = NewDisposeScope();
        var renderer = new VolumeRenderer([1f, 1f, 1f]);
        var samples = new FieldOutput(zeros(1, 2, 5, 1), rand(1, 2, 5, 3), rand(1, 2, 5, 4));
        var t = linspace(1, 2, 5).expand(1, 2, 5);
        var result = renderer.Composite(samples, t, full([1, 2, 1], 1.0), full([1, 2, 1], 2.0));
        RenderAssert.Close(ones(1, 2, 3), result.Rgb, 1e-6);
        RenderAssert.Close(zeros(1, 2, 4), result.Features, 1e-6);
        RenderAssert.Close(zeros(1, 2), result.Opacity, 1e-6);
        RenderAssert.Close(zeros(1, 2), result.Depth, 1e-6);
    }

    [Fact]
    public void Composite_OpaqueSample_TakesItsColourFeaturesAndDepth()
    {
        using var scope = NewDisposeScope();
        var renderer = new VolumeRenderer([1f, 1f, 1f]);
        var sigma = zeros(1, 1, 4, 1);
        sigma[0][0][2].fill_(1e4);
        var rgb = zeros(1, 1, 4, 3);
        rgb[0][0][2].copy_(tensor(new[] { 0.2f, 0.4f, 0.6f }));
        rgb[0][0][3].fill_(1);
        var features = zeros(1, 1, 4, 2);
        features[0][0][2].copy_(tensor(new[] { 0.7f, 0.1f }));
        var t = tensor(new float[] { 1.1f, 1.3f, 1.6f, 1.9f }, [1, 1, 4]);
        var result = renderer.Composite(new FieldOutput(sigma, rgb, features), t, full([1, 1, 1], 1.0), full([1, 1, 1], 2.0));
        RenderAssert.Close([0.2f, 0.4f, 0.6f], result.Rgb, 1e-5);
        RenderAssert.Close([0.7f, 0.1f], result.Features, 1e-5);
        RenderAssert.Close([1f], result.Opacity, 1e-5);
        RenderAssert.Close([1.6f], result.Depth, 1e-5);
        RenderAssert.Close([0, 0, 1, 0], result.Weights, 1e-5);
    }

    [Fact]
    public void Composite_MissedRay_ContributesNothingEvenWithDensity()
    {
        using var scope = NewDisposeScope();
        var samples = new FieldOutput(full([1, 1, 3, 1], 50.0), rand(1, 1, 3, 3), rand(1, 1, 3, 1));
        foreach (var rule in new[] { DeltaRule.Segments, DeltaRule.Forward })
        {
            var result = new VolumeRenderer([0.5f, 0.5f, 0.5f], rule).Composite(samples, zeros(1, 1, 3), zeros(1, 1, 1), zeros(1, 1, 1));
            RenderAssert.Close([0.5f, 0.5f, 0.5f], result.Rgb, 1e-6);
            RenderAssert.Close([0f], result.Opacity, 1e-6);
        }
    }

    [Fact]
    public void Constructor_BadBackground_Throws()
    {
        Assert.Throws<ArgumentException>(() => new VolumeRenderer([1f, 1f]));
        Assert.Throws<ArgumentException>(() => new VolumeRenderer([1f, float.NaN, 1f]));
    }
}
