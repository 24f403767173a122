using RealtimeHead.Model.Tests.Encoder;
using RealtimeHead.Model.Tests.Training;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Assembly;

// Seeded draws decide which rays turn opaque and how large the gradients are: no test may draw beside these.
[Collection(TorchRngCollection.Name)]
public sealed class S3DNeRFTests
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;

    /// <summary>Added to the raw density of the test's field (σ = softplus(x − 1)).</summary>
    private const double DensityBias = 1.5;

    /// <summary>A centred disk of radius 5 rays on the small config's 16x16 render: [batch, 16, 16] bool.</summary>
    private static Tensor CentreDisk(int batch)
    {
        var axis = arange(0, 16, 1, ScalarType.Float32).sub(7.5);
        var radius = axis.square().unsqueeze(0).add(axis.square().unsqueeze(1)).sqrt();
        return radius.lt(5).unsqueeze(0).expand(batch, 16, 16).contiguous();
    }

    [Fact]
    public void Forward_SmallConfig_ReturnsDocumentedShapes()
    {
        manual_seed(1);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        using var output = model.forward(AssemblyTestData.Images(Config, 2), AssemblyTestData.Poses(Config, 2), AssemblyTestData.Audio(Config, 2),
            AssemblyTestData.Poses(Config, 2));

        Assert.Equal(new long[] { 2, 3 + Config.RenderFeatureChannels, 16, 16 }, output.Coarse.shape);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, output.Fine!.shape);
        // Every ray queries CoarseSamples + ImportanceSamples points.
        Assert.Equal(new long[] { 2, 16L * 16 * (Config.CoarseSamples + Config.ImportanceSamples), 3 }, output.Deformation!.shape);
        Assert.Equal(new long[] { 2, 16, 16 }, output.Opacity.shape);
        // Outside training the residual sum of the super-resolution module is clamped to the image range.
        model.eval();
        using var evaluated = model.forward(AssemblyTestData.Images(Config, 2), AssemblyTestData.Poses(Config, 2), AssemblyTestData.Audio(Config, 2),
            AssemblyTestData.Poses(Config, 2));
        var fine = evaluated.Fine!.abs().max().item<float>();
        Assert.True(fine <= 1f, $"fine frame leaves [-1, 1]: {fine}");
        Assert.True(output.Coarse.isfinite().all().item<bool>());
    }

    [Fact]
    public void Forward_InnerFaceMask_LeavesBackgroundOutsideMask()
    {
        manual_seed(2);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var mask = zeros([1, 16, 16], ScalarType.Bool);
        mask[TensorIndex.Colon, TensorIndex.Slice(4, 12), TensorIndex.Slice(4, 12)] = ones([1, 8, 8], ScalarType.Bool);
        using var output = model.forward(AssemblyTestData.Images(Config, 1), AssemblyTestData.Poses(Config, 1), AssemblyTestData.Audio(Config, 1),
            AssemblyTestData.Poses(Config, 1), mask);

        var outside = output.Coarse.mul(mask.logical_not().unsqueeze(1).to(ScalarType.Float32)).abs().sum().item<float>();
        var inside = output.Coarse.mul(mask.unsqueeze(1).to(ScalarType.Float32)).abs().sum().item<float>();
        Assert.Equal(0f, outside);
        Assert.True(inside > 0);
        // Only the 64 masked rays were queried.
        Assert.Equal(64L * (Config.CoarseSamples + Config.ImportanceSamples), output.Deformation!.size(1));
    }

    [Theory]
    [InlineData(DeformationVariant.CrossModal)]
    [InlineData(DeformationVariant.Naive)]
    [InlineData(DeformationVariant.FeatureConcatenate)]
    [InlineData(DeformationVariant.None)]
    public void Backward_EveryVariant_GradientReachesEveryGeneratorParameter(DeformationVariant variant)
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config with { Deformation = variant });
        // As training renders: the rays of an inner-face mask (an untrained field is nowhere opaque, so without a mask the
        // super-resolution module would see only background, see SelfMaskOpacity).
        using var output = model.forward(AssemblyTestData.Images(Config, 2), AssemblyTestData.Poses(Config, 2), AssemblyTestData.Audio(Config, 2),
            AssemblyTestData.Poses(Config, 2), CentreDisk(2));

        var loss = GradientAssert.ProbeLoss(output.Fine!) + GradientAssert.ProbeLoss(output.Coarse);
        if (output.Deformation is { } delta) loss = loss + delta.square().sum();
        loss.backward();

        Assert.Equal(variant == DeformationVariant.None, output.Deformation is null);
        GradientAssert.EveryParameterHasGradient(model);
    }

    [Fact]
    public void Forward_WithoutMask_SuperResolutionReadsTheRaysTheFieldMakesOpaque()
    {
        // Inference has no inner-face mask: the module gets the coarse render masked by the field's own opacity, i.e. the
        // same frame as rendering with the mask "opacity > SelfMaskOpacity".
        manual_seed(4);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        model.eval();
        var (image, pose, audio, target) = (AssemblyTestData.Images(Config, 2), AssemblyTestData.Poses(Config, 2), AssemblyTestData.Audio(Config, 2), AssemblyTestData.Poses(Config, 2));
        using var noGrad = no_grad();
        // An untrained field is nearly transparent; raise its density so that the rays through the head's middle turn opaque.
        model.named_parameters().Last(p => p.name.StartsWith("decoder.", StringComparison.Ordinal) && p.name.EndsWith(".bias", StringComparison.Ordinal)).parameter[0].add_(DensityBias);
        using var unmasked = model.forward(image, pose, audio, target);
        var opaque = unmasked.Opacity.gt(S3DNeRF.SelfMaskOpacity);
        var fraction = opaque.to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(fraction, 0.05f, 0.95f);   // both kinds of rays occur, so the comparison can fail

        using var selfMasked = model.forward(image, pose, audio, target, opaque);
        using var everything = model.forward(image, pose, audio, target, ones([2, 16, 16]).gt(0.5));

        Assert.Equal(0f, unmasked.Fine!.sub(selfMasked.Fine!).abs().max().item<float>(), 5);
        Assert.Equal(0f, unmasked.Coarse.sub(everything.Coarse).abs().max().item<float>(), 5);   // the coarse render itself stays whole
        Assert.True(unmasked.Fine!.sub(everything.Fine!).abs().max().item<float>() > 1e-4, "masking changed nothing");
    }

    [Fact]
    public void Forward_WrongImageSize_ThrowsNamingSize()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var error = Assert.Throws<ArgumentException>(() => model.forward(rand([1, 3, 64, 64]), AssemblyTestData.Poses(Config, 1),
            AssemblyTestData.Audio(Config, 1), AssemblyTestData.Poses(Config, 1)));
        Assert.Contains("64x64, expected 32x32", error.Message);
    }

    [Fact]
    public void Forward_WrongChannelCount_ThrowsNamingChannels()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var error = Assert.Throws<ArgumentException>(() => model.forward(rand([1, 4, 32, 32]), AssemblyTestData.Poses(Config, 1),
            AssemblyTestData.Audio(Config, 1), AssemblyTestData.Poses(Config, 1)));
        Assert.Contains("4 channels, expected 3", error.Message);
    }

    [Fact]
    public void Forward_NaNAudio_ThrowsNamingNaN()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var audio = AssemblyTestData.Audio(Config, 1);
        audio[0, 3, 2] = tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => model.forward(AssemblyTestData.Images(Config, 1), AssemblyTestData.Poses(Config, 1),
            audio, AssemblyTestData.Poses(Config, 1)));
        Assert.Contains("NaN", error.Message);
        Assert.Equal("audio", error.ParamName);
    }

    [Fact]
    public void Forward_WrongAudioWindowLength_ThrowsNamingWindow()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var error = Assert.Throws<ArgumentException>(() => model.forward(AssemblyTestData.Images(Config, 1), AssemblyTestData.Poses(Config, 1),
            randn([1, 5, Config.AudioFeatureDim]), AssemblyTestData.Poses(Config, 1)));
        Assert.Contains("[B, 8, 6]", error.Message);
        Assert.Contains("[1, 5, 6]", error.Message);
    }

    [Fact]
    public void Forward_MismatchedBatchSizes_ThrowsNamingBoth()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var error = Assert.Throws<ArgumentException>(() => model.forward(AssemblyTestData.Images(Config, 2), AssemblyTestData.Poses(Config, 2),
            AssemblyTestData.Audio(Config, 2), AssemblyTestData.Poses(Config, 3)));
        Assert.Equal("targetPose", error.ParamName);
        Assert.Contains("batch size 3, but the images have 2", error.Message);
    }

    [Fact]
    public void Forward_PoseNot4x4_ThrowsNamingPose()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        var error = Assert.Throws<ArgumentException>(() => model.forward(AssemblyTestData.Images(Config, 1), rand([1, 3, 4]),
            AssemblyTestData.Audio(Config, 1), AssemblyTestData.Poses(Config, 1)));
        Assert.Equal("sourcePose", error.ParamName);
        Assert.Contains("4x4", error.Message);
    }
}
