using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Losses;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Tests.Losses;

public sealed class S3DNeRFLossTests
{
    private const int Size = 32;
    private const int Render = 16;

    /// <summary>Weights that differ from each other and from the paper's, so a swapped weight shows.</summary>
    private static readonly S3DNeRFConfig Distinct = S3DNeRFConfig.Tiny with
    {
        PerceptualWeight = 0.3f,
        AdversarialWeight = 0.2f,
        SyncWeight = 0.7f,
        DeformWeight = 0.05f,
    };

    private static S3DNeRFLoss Create(S3DNeRFConfig config) => new(config, PerceptualLoss.CreateSubstitute(NullLogger.Instance));

    /// <summary>Random inputs; the inner-face mask is the centre 16x16 block of the 32x32 frame.</summary>
    private static S3DNeRFLossInputs Inputs(bool requireGrad = false)
    {
        manual_seed(7);
        Tensor Leaf(Tensor t) => requireGrad ? t.requires_grad_() : t;
        var mask = zeros([2, 1, Size, Size]);
        using (no_grad()) mask.narrow(2, 8, 16).narrow(3, 8, 16).fill_(1);
        return new S3DNeRFLossInputs(
            Fine: Leaf(rand([2, 3, Size, Size]) * 2 - 1),
            Coarse: Leaf(rand([2, 3, Render, Render]) * 2 - 1),
            Target: rand([2, 3, Size, Size]) * 2 - 1,
            InnerFaceMask: mask,
            Deformation: Leaf(randn([2, 10, 3]) * 0.1),
            FineFakeLogits: Leaf(randn([2, 1])),
            CoarseFakeLogits: Leaf(randn([2, 1])),
            FineLipEmbedding: Leaf(F.normalize(randn([2, 8]), dim: 1)),
            CoarseLipEmbedding: Leaf(F.normalize(randn([2, 8]), dim: 1)),
            AudioEmbedding: F.normalize(randn([2, 8]), dim: 1));
    }

    [Fact]
    public void Compute_DistinctWeights_TotalIsExactlyTheWeightedSumOfTerms()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);

        var terms = loss.Compute(Inputs());
        var v = terms.ToValues();

        Assert.Equal(new S3DNeRFLossWeights(0.3f, 0.2f, 0.7f, 0.05f), terms.Weights);
        var expected = v["pix"] + 0.3f * v["per"] + 0.2f * v["adv"] + 0.7f * v["sync"] + 0.05f * v["deform"];
        Assert.Equal(expected, v["total"], tolerance: 1e-5);
        Assert.All(new[] { "pix", "per", "adv", "sync", "deform" }, k => Assert.True(v[k] > 0, $"{k} = {v[k]}"));
    }

    [Fact]
    public void Compute_PaperWeights_AreEq9Values()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(S3DNeRFConfig.Tiny);

        var terms = loss.Compute(Inputs());
        var v = terms.ToValues();

        Assert.Equal(new S3DNeRFLossWeights(0.01f, 1, 0.5f, 0.001f), terms.Weights);
        Assert.Equal(v["pix"] + 0.01f * v["per"] + v["adv"] + 0.5f * v["sync"] + 0.001f * v["deform"], v["total"], tolerance: 1e-5);
    }

    [Fact]
    public void Compute_Terms_MatchTheirDefinitionsOnBothOutputs()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);
        var inputs = Inputs();

        var v = loss.Compute(inputs).ToValues();

        // Pixel: full-frame MSE of the fine output + MSE of the coarse render inside the mask (the centre 8x8 at 16x16).
        var coarseTarget = F.interpolate(inputs.Target, [Render, Render], mode: InterpolationMode.Area);
        var inner = (inputs.Coarse - coarseTarget).narrow(2, 4, 8).narrow(3, 4, 8);
        var pixel = F.mse_loss(inputs.Fine, inputs.Target).item<double>() + inner.square().mean().item<double>();
        Assert.Equal(pixel, v["pix"], tolerance: 1e-5);
        var adversarial = F.softplus(-inputs.FineFakeLogits!).mean().item<double>() + F.softplus(-inputs.CoarseFakeLogits!).mean().item<double>();
        Assert.Equal(adversarial, v["adv"], tolerance: 1e-5);
        double Sync(Tensor lips) => (1 - F.cosine_similarity(lips, inputs.AudioEmbedding!, 1)).mean().item<double>();
        Assert.Equal(Sync(inputs.FineLipEmbedding!) + Sync(inputs.CoarseLipEmbedding!), v["sync"], tolerance: 1e-5);
        Assert.Equal(inputs.Deformation!.square().sum(-1).mean().item<double>(), v["deform"], tolerance: 1e-6);
        var perceptual = loss.Perceptual.forward(inputs.Fine, inputs.Target).item<double>() +
                         loss.Perceptual.forward(inputs.Coarse * F.interpolate(inputs.InnerFaceMask, [Render, Render], mode: InterpolationMode.Area),
                             coarseTarget * F.interpolate(inputs.InnerFaceMask, [Render, Render], mode: InterpolationMode.Area)).item<double>();
        Assert.Equal(perceptual, v["per"], tolerance: 1e-5);
    }

    [Fact]
    public void Compute_CoarseChangedOutsideMask_PixelTermUnchanged()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);
        var inputs = Inputs();
        var border = ones([2, 3, Render, Render]);
        using (no_grad()) border.narrow(2, 4, 8).narrow(3, 4, 8).zero_();

        var before = loss.Compute(inputs).Pixel.item<float>();
        var after = loss.Compute(inputs with { Coarse = inputs.Coarse + border * 5 }).Pixel.item<float>();

        Assert.Equal(before, after, tolerance: 1e-5);
    }

    [Fact]
    public void Compute_LipSyncOff_DropsSyncTermAndIgnoresEmbeddings()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct with { UseLipSyncLoss = false });
        var inputs = Inputs();

        var with = loss.Compute(inputs);
        var without = loss.Compute(inputs with { FineLipEmbedding = null, CoarseLipEmbedding = null, AudioEmbedding = null });

        Assert.Equal(0, with.Weights.Sync);
        Assert.Equal(0f, with.Sync.item<float>());
        Assert.Equal(without.Total.item<float>(), with.Total.item<float>());
    }

    [Fact]
    public void Compute_NoDeformationNoDiscriminators_TermsAreZero()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);
        var inputs = Inputs() with
        {
            Deformation = null, FineFakeLogits = null, CoarseFakeLogits = null,
            FineLipEmbedding = null, CoarseLipEmbedding = null, AudioEmbedding = null,
        };

        var v = loss.Compute(inputs).ToValues();

        Assert.Equal(0, v["deform"]);
        Assert.Equal(0, v["adv"]);
        Assert.Equal(0, v["sync"]);
        Assert.Equal(v["pix"] + 0.3f * v["per"], v["total"], tolerance: 1e-5);
    }

    [Fact]
    public void Compute_Backward_ReachesEveryGeneratorInput()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);
        var inputs = Inputs(requireGrad: true);

        loss.Compute(inputs).Total.backward();

        foreach (var (name, t) in new[]
                 {
                     ("fine", inputs.Fine), ("coarse", inputs.Coarse), ("deformation", inputs.Deformation!),
                     ("fine logits", inputs.FineFakeLogits!), ("coarse logits", inputs.CoarseFakeLogits!),
                     ("fine lips", inputs.FineLipEmbedding!), ("coarse lips", inputs.CoarseLipEmbedding!),
                 })
        {
            Assert.True(t.grad is { } g && g.abs().sum().item<double>() > 0, $"no gradient reached {name}");
        }
    }

    [Fact]
    public void Compute_BadShapesOrLipsWithoutAudio_Throws()
    {
        using var scope = NewDisposeScope();
        using var loss = Create(Distinct);
        var inputs = Inputs();

        Assert.Throws<ArgumentException>(() => loss.Compute(inputs with { Target = zeros([2, 3, 16, 16]) }));
        Assert.Throws<ArgumentException>(() => loss.Compute(inputs with { Coarse = zeros([1, 3, Render, Render]) }));
        Assert.Throws<ArgumentException>(() => loss.Compute(inputs with { InnerFaceMask = zeros([2, 3, Size, Size]) }));
        Assert.Throws<ArgumentException>(() => loss.Compute(inputs with { AudioEmbedding = null }));
    }
}
