using RealtimeHead.Model.Discriminators;
using RealtimeHead.Torch;
using static RealtimeHead.Model.Tests.Discriminators.DiscriminatorTestHelpers;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Discriminators;

public sealed class StyleGanDiscriminatorTests
{
    private const int Size = 16;

    private static StyleGanDiscriminator Create(int inChannels = 3) => new(SmallConfig, Size, inChannels);

    [Fact]
    public void Forward_Batch_ReturnsOneLogitPerImage()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var d = Create();

        var logits = d.forward(rand([3, 3, Size, Size]) * 2 - 1);

        Assert.Equal(new long[] { 3, 1 }, logits.shape);
        Assert.All(logits.data<float>(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Forward_DualInputAndDefaultSize_AcceptsSixChannelsAtImageSize()
    {
        using var scope = NewDisposeScope();
        using var dual = Create(inChannels: 6);
        using var full = new StyleGanDiscriminator(SmallConfig with { ImageSize = 32, RenderSize = 16 });

        Assert.Equal(new long[] { 2, 1 }, dual.forward(randn([2, 6, Size, Size])).shape);
        Assert.Equal(32, full.ImageSize);
        Assert.Equal(new long[] { 1, 1 }, full.forward(randn([1, 3, 32, 32])).shape);
    }

    [Fact]
    public void Constructor_SizeNotPowerOfTwoOrWrongInput_Throws()
    {
        using var scope = NewDisposeScope();
        using var d = Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => new StyleGanDiscriminator(SmallConfig, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StyleGanDiscriminator(SmallConfig, 4));
        Assert.Throws<ArgumentException>(() => d.forward(randn([1, 3, 32, 32])));
        Assert.Throws<ArgumentException>(() => d.forward(randn([1, 1, Size, Size])));
    }

    [Fact]
    public void Backward_GeneratorLoss_ReachesEveryParameterAndTheImages()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var d = Create();
        var images = (rand([4, 3, Size, Size]) * 2 - 1).requires_grad_();

        (StyleGanDiscriminator.GeneratorLoss(d.forward(images)) + Probe(d.forward(images))).backward();

        AssertEveryParameterHasGradient(d);
        Assert.True(images.grad!.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void MinibatchStandardDeviation_TwoConstantSamples_AppendsHalfTheirDifference()
    {
        using var scope = NewDisposeScope();
        var x = cat([full([1, 2, 4, 4], 1.0), full([1, 2, 4, 4], 4.0)], 0);

        var y = StyleGanDiscriminator.MinibatchStandardDeviation(x);

        Assert.Equal(new long[] { 2, 3, 4, 4 }, y.shape);
        Assert.All(y.select(1, 2).data<float>(), v => Assert.Equal(1.5f, v, 4));
        Assert.Equal(x.data<float>(), y.narrow(1, 0, 2).contiguous().data<float>());
    }

    [Fact]
    public void MinibatchStandardDeviation_EightSamples_GroupsByIndexModuloGroupCount()
    {
        using var scope = NewDisposeScope();
        // Groups of 4 over 8 samples: sample n is in group n mod 2. Even samples are equal, odd ones differ.
        var values = new float[] { 2, 0, 2, 1, 2, 5, 2, -3 };
        var x = tensor(values, [8, 1, 1, 1]).expand(8, 1, 4, 4).contiguous();

        var feature = StyleGanDiscriminator.MinibatchStandardDeviation(x).select(1, 1).mean([1L, 2L]).data<float>();

        for (var n = 0; n < 8; n += 2) Assert.True(feature[n] < 1e-3, $"sample {n}: {feature[n]}");
        // Odd group {0, 1, 5, -3}: mean 0.75, population std √(Σ(v − 0.75)² / 4).
        var odd = new[] { 0.0, 1, 5, -3 };
        var expected = Math.Sqrt(odd.Select(v => (v - 0.75) * (v - 0.75)).Sum() / 4);
        for (var n = 1; n < 8; n += 2) Assert.Equal(expected, feature[n], 3);
    }

    [Fact]
    public void Losses_KnownLogits_MatchSoftplusFormulas()
    {
        using var scope = NewDisposeScope();
        var zero = zeros([2, 1]);
        var confidentFake = full([2, 1], 30.0);

        Assert.Equal(2 * Math.Log(2), StyleGanDiscriminator.DiscriminatorLoss(zero, zero).item<double>(), 5);
        Assert.Equal(Math.Log(2), StyleGanDiscriminator.GeneratorLoss(zero).item<double>(), 5);
        Assert.Equal(0, StyleGanDiscriminator.GeneratorLoss(confidentFake).item<double>(), 5);
        // D sure that real is real (+30) and fake is fake (−30): loss ≈ 0.
        Assert.Equal(0, StyleGanDiscriminator.DiscriminatorLoss(confidentFake, -confidentFake).item<double>(), 5);
    }

    [Fact]
    public void R1Penalty_DiscriminatorConstantInInput_IsZero()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var d = Create();
        using (no_grad())
        {
            foreach (var (name, p) in d.named_parameters().Where(p => p.name.StartsWith("from_rgb.", StringComparison.Ordinal)))
            {
                if (name.EndsWith("weight", StringComparison.Ordinal)) p.zero_();
            }
        }

        var penalty = d.R1Penalty(rand([4, 3, Size, Size]) * 2 - 1);

        Assert.Equal(0f, penalty.item<float>());
    }

    [Fact]
    public void R1Penalty_RandomDiscriminator_IsPositiveAndTrainsTheDiscriminator()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var d = Create();
        var real = rand([4, 3, Size, Size]) * 2 - 1;

        var penalty = d.R1Penalty(real);
        penalty.backward();

        Assert.True(penalty.item<float>() > 0);
        Assert.False(real.requires_grad);
        using var grad = d.named_parameters().First(p => p.name == "blocks.0.conv0.weight").parameter.grad;
        Assert.True(grad is not null && grad.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void R1Penalty_FromLogits_EqualsOwnForwardAndNeedsGradImages()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var d = Create();
        var real = (rand([2, 3, Size, Size]) * 2 - 1).requires_grad_();

        var reused = StyleGanDiscriminator.R1Penalty(d.forward(real), real).item<float>();
        var own = d.R1Penalty(real).item<float>();

        Assert.Equal(own, reused, 5);
        Assert.Throws<ArgumentException>(() => StyleGanDiscriminator.R1Penalty(d.forward(real.detach()), real.detach()));
    }
}
