using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Tests.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

public sealed class DeformationFieldTests
{
    [Theory]
    [InlineData(DeformationVariant.CrossModal, 64)]
    [InlineData(DeformationVariant.FeatureConcatenate, 64)]
    [InlineData(DeformationVariant.Naive, 0)]
    public void Forward_TinyVariants_GiveOneOffsetPerPoint(DeformationVariant variant, long visualDim)
    {
        using var scope = NewDisposeScope();
        manual_seed(50);
        using var field = new DeformationField(S3DNeRFConfig.Tiny with { Deformation = variant });
        var visual = visualDim > 0 ? randn(2, 64, visualDim) : null;
        var offsets = field.forward(rand([2, 100, 3]) * 2 - 1, randn(2, 4, 64), visual);
        Assert.Equal(new long[] { 2, 100, 3 }, offsets.shape);
        Assert.Equal(visualDim, field.VisualDim);
    }

    [Fact]
    public void Forward_NoneVariant_ReturnsZerosAndHasNoParameters()
    {
        using var scope = NewDisposeScope();
        using var field = new DeformationField(TestConfigs.Micro with { Deformation = DeformationVariant.None });
        var offsets = field.forward(randn(1, 7, 3), randn(1, 4, 8));
        Assert.Equal(new long[] { 1, 7, 3 }, offsets.shape);
        Assert.All(offsets.data<float>(), v => Assert.Equal(0f, v));
        Assert.Empty(field.parameters());
    }

    [Fact]
    public void Forward_CrossModalWithoutCorrelation_Throws()
    {
        using var scope = NewDisposeScope();
        using var field = new DeformationField(TestConfigs.Micro);
        Assert.Throws<ArgumentException>(() => field.forward(randn(1, 7, 3), randn(1, 4, 8)));
    }

    [Theory]
    [InlineData(DeformationVariant.CrossModal)]
    [InlineData(DeformationVariant.FeatureConcatenate)]
    [InlineData(DeformationVariant.Naive)]
    public void Backward_Variants_ReachEveryParameter(DeformationVariant variant)
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        var config = TestConfigs.Micro with { Deformation = variant };
        using var field = new DeformationField(config);
        var visual = field.VisualDim > 0 ? randn(2, 16, field.VisualDim) : null;
        GradientAssert.ProbeLoss(field.forward(randn(2, 20, 3), randn(2, 4, 8), visual)).backward();
        GradientAssert.EveryParameterHasGradient(field);
    }

    [Fact]
    public void SampleImagePlane_PointAtThePlaneCentre_ReadsTheCentreOfTheMap()
    {
        using var scope = NewDisposeScope();
        // 3x3 grid: token n holds (n, -n); the centre cell is token 4.
        var tokens = tensor(Enumerable.Range(0, 9).SelectMany(n => new float[] { n, -n }).ToArray(), [1, 9, 2]);
        var sampled = DeformationField.SampleImagePlane(tokens, 3, tensor(new float[] { 0, 0, 0.7f, 0, 0, -0.9f }, [1, 2, 3]));
        Assert.Equal(new float[] { 4, -4, 4, -4 }, sampled.data<float>()); // z does not matter

        // 4x4 grid: the centre falls between tokens 5, 6, 9 and 10.
        var even = arange(0, 16, 1, ScalarType.Float32).view(1, 16, 1);
        Assert.Equal(7.5f, DeformationField.SampleImagePlane(even, 4, zeros(1, 1, 3)).item<float>(), 5);
    }

    [Fact]
    public void SampleImagePlane_CellCentres_XPicksTheColumnAndYTheRow()
    {
        using var scope = NewDisposeScope();
        var tokens = arange(0, 16, 1, ScalarType.Float32).view(1, 16, 1); // token = row·4 + column
        // Centre of column c is x = (2c + 1)/4 - 1; row r likewise in y.
        var points = tensor(new float[] { -0.75f, -0.75f, 0, 0.25f, -0.75f, 0, -0.75f, 0.25f, 0, 0.75f, 0.75f, 0 }, [1, 4, 3]);
        var sampled = DeformationField.SampleImagePlane(tokens, 4, points);
        Assert.Equal(new float[] { 0, 2, 8, 15 }, sampled.data<float>());
    }

    [Fact]
    public void TriPlaneFeatureChannels_NoneVariant_AddsTheAudioChannels()
    {
        Assert.Equal(48, DeformationField.TriPlaneFeatureChannels(S3DNeRFConfig.Tiny));
        Assert.Equal(48 + 64, DeformationField.TriPlaneFeatureChannels(S3DNeRFConfig.Tiny with { Deformation = DeformationVariant.None }));
        Assert.Equal(4 * 32, DeformationField.TriPlaneFeatureChannels(S3DNeRFConfig.Paper));
    }

    [Fact]
    public void AppendAudio_ConcatenatesTheTimeAveragedAudioToEveryPoint()
    {
        using var scope = NewDisposeScope();
        var features = ones(1, 3, 2);
        var audio = tensor(new float[] { 1, 10, 3, 20 }, [1, 2, 2]); // steps (1, 10), (3, 20): mean (2, 15)
        var joined = DeformationField.AppendAudio(features, audio);
        Assert.Equal(new long[] { 1, 3, 4 }, joined.shape);
        Assert.Equal(new float[] { 1, 1, 2, 15, 1, 1, 2, 15, 1, 1, 2, 15 }, joined.data<float>());
    }
}
