using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Encoder;
using RealtimeHead.Model.Tests.Encoder;
using RealtimeHead.Model.Tests.Training;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

// The thresholds hold for the seeded draws; a test running beside these would take numbers from the same global stream.
[Collection(TorchRngCollection.Name)]
public sealed class FacialDeformationTests
{
    [Fact]
    public void Forward_TinyCrossModal_ShapesOfEveryStage()
    {
        using var scope = NewDisposeScope();
        manual_seed(60);
        var config = S3DNeRFConfig.Tiny;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var deformation = new FacialDeformation(config);
        using var pyramid = encoder.forward(rand([1, 3, 128, 128]) * 2 - 1);
        using var conditioning = deformation.Condition(pyramid, randn(1, 16, 80));

        Assert.Equal(new long[] { 1, 4, 64 }, conditioning.Audio.shape);
        Assert.Equal(new long[] { 1, 64, 64 }, conditioning.Aggregated!.shape);
        Assert.Equal(new long[] { 1, 64, 64 }, conditioning.Correlation!.shape);
        Assert.Equal(new long[] { 1, 4, 64, 4 }, conditioning.AttentionWeights!.shape);
        Assert.Equal(new long[] { 1, 200, 3 }, deformation.forward(rand([1, 200, 3]) * 2 - 1, conditioning).shape);
    }

    [Fact]
    public void Forward_PaperConfig_ShapesFromAPaperSizedPyramid()
    {
        // The encoder at 256x256 is too slow for a unit test on this CPU: a pyramid of the paper's shapes stands in.
        using var scope = NewDisposeScope();
        manual_seed(65);
        var config = S3DNeRFConfig.Paper;
        long[] sides = [128, 64, 32, 16];
        var features = config.EncoderChannels.Select((c, i) => randn(1, c, sides[i], sides[i])).ToArray();
        var planes = sides.Select(s => zeros([1, 3, config.PlaneChannels, s, s])).ToArray();
        using var pyramid = new TriPlanePyramid(planes, features);
        using var deformation = new FacialDeformation(config);
        using var conditioning = deformation.Condition(pyramid, randn(1, 16, 768));

        Assert.Equal(new long[] { 1, 4, 128 }, conditioning.Audio.shape);
        Assert.Equal(new long[] { 1, 256, 128 }, conditioning.Aggregated!.shape);
        Assert.Equal(new long[] { 1, 256, 128 }, conditioning.Correlation!.shape);
        Assert.Equal(new long[] { 1, 8, 256, 4 }, conditioning.AttentionWeights!.shape);
        Assert.Equal(new long[] { 1, 16, 16 }, CrossModalAttention.Heatmap(conditioning.Correlation, config.SlotGrid).shape);
        Assert.Equal(new long[] { 1, 100, 3 }, deformation.forward(rand([1, 100, 3]) * 2 - 1, conditioning).shape);
    }

    [Fact]
    public void Forward_AtInitialisation_OffsetsAreBelowOnePercentOfTheCube()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        var config = S3DNeRFConfig.Tiny;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var deformation = new FacialDeformation(config);
        using var pyramid = encoder.forward(rand([2, 3, 128, 128]) * 2 - 1);
        using var conditioning = deformation.Condition(pyramid, randn(2, 16, 80));
        var offsets = deformation.forward(rand([2, 500, 3]) * 2 - 1, conditioning);
        var largest = offsets.abs().max().item<float>();
        Assert.True(largest < 1e-2f, $"|Δx| reaches {largest} of the unit half-extent at init"); // extent is 1 in this frame
        Assert.True(largest > 0, "the field must not be exactly zero (it would have no gradient path)");
    }

    [Fact]
    public void Forward_CrossModalZeroAudioVersusSpeech_OffsetsDiffer()
    {
        using var scope = NewDisposeScope();
        manual_seed(62);
        var config = TestConfigs.Micro;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var deformation = new FacialDeformation(config);
        deformation.eval();
        using var pyramid = encoder.forward(rand([1, 3, 32, 32]) * 2 - 1);
        var points = rand([1, 64, 3]) * 2 - 1;

        using var silent = deformation.Condition(pyramid, zeros(1, 8, 6));
        using var speech = deformation.Condition(pyramid, randn(1, 8, 6) * 2);
        var silentOffsets = deformation.forward(points, silent);
        var speechOffsets = deformation.forward(points, speech);

        var change = (speechOffsets - silentOffsets).abs().max().item<float>();
        var scale = silentOffsets.abs().max().item<float>();
        Assert.True(change > 0.01f * scale, $"audio changed Δx by {change} against |Δx| {scale}");
        var correlationChange = (speech.Correlation! - silent.Correlation!).abs().max().item<float>();
        Assert.True(correlationChange > 1e-3f, $"audio changed F_cm by only {correlationChange}");
    }

    [Theory]
    [InlineData(DeformationVariant.CrossModal)]
    [InlineData(DeformationVariant.FeatureConcatenate)]
    [InlineData(DeformationVariant.Naive)]
    public void Backward_Variants_ReachEveryParameterOfTheDeformation(DeformationVariant variant)
    {
        using var scope = NewDisposeScope();
        manual_seed(63);
        var config = TestConfigs.Micro with { Deformation = variant };
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var deformation = new FacialDeformation(config);
        using var pyramid = encoder.forward(rand([2, 3, 32, 32]) * 2 - 1);
        using var conditioning = deformation.Condition(pyramid, randn(2, 8, 6));
        GradientAssert.ProbeLoss(deformation.forward(rand([2, 30, 3]) * 2 - 1, conditioning)).backward();
        GradientAssert.EveryParameterHasGradient(deformation);
    }

    [Fact]
    public void Constructor_Variants_CreateOnlyTheComponentsTheyUse()
    {
        static string[] Roots(DeformationVariant variant)
        {
            using var deformation = new FacialDeformation(TestConfigs.Micro with { Deformation = variant });
            return deformation.named_children().Select(c => c.name).ToArray();
        }

        Assert.Equal(new[] { "audio", "aggregator", "attention", "field" }, Roots(DeformationVariant.CrossModal));
        Assert.Equal(new[] { "audio", "aggregator", "field" }, Roots(DeformationVariant.FeatureConcatenate));
        Assert.Equal(new[] { "audio", "field" }, Roots(DeformationVariant.Naive));
        Assert.Equal(new[] { "audio", "field" }, Roots(DeformationVariant.None));
    }

    [Fact]
    public void Condition_NoneVariant_GivesAudioForTheTriPlaneDecoderAndZeroOffsets()
    {
        using var scope = NewDisposeScope();
        manual_seed(64);
        var config = TestConfigs.Micro with { Deformation = DeformationVariant.None };
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var deformation = new FacialDeformation(config);
        using var pyramid = encoder.forward(rand([1, 3, 32, 32]) * 2 - 1);
        using var conditioning = deformation.Condition(pyramid, randn(1, 8, 6));
        Assert.Null(conditioning.Aggregated);
        Assert.Null(conditioning.Correlation);

        var points = rand([1, 10, 3]) * 2 - 1;
        Assert.Equal(0f, deformation.forward(points, conditioning).abs().max().item<float>());
        var features = DeformationField.AppendAudio(TriPlaneSampler.Sample(pyramid, points), conditioning.Audio);
        Assert.Equal(new long[] { 1, 10, DeformationField.TriPlaneFeatureChannels(config) }, features.shape);
        GradientAssert.ProbeLoss(features).backward();
        GradientAssert.EveryParameterHasGradient(deformation);
    }
}
