using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Tests.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

public sealed class AudioEncoderTests
{
    [Fact]
    public void Forward_TinyWindow_ShortensSixteenFramesToFourSteps()
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        using var encoder = new AudioEncoder(S3DNeRFConfig.Tiny);
        var audio = encoder.forward(randn(2, 16, 80));
        Assert.Equal(new long[] { 2, 4, 64 }, audio.shape);
        Assert.Equal(4, encoder.OutputSteps);
        Assert.Equal(64, encoder.OutputDim);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(6, 6)]
    [InlineData(8, 4)]
    [InlineData(12, 6)]
    [InlineData(32, 8)]
    public void OutputSteps_StridesOnlyWhileFourStepsRemain(int window, long steps)
    {
        using var scope = NewDisposeScope();
        using var encoder = new AudioEncoder(TestConfigs.Micro with { AudioWindow = window });
        Assert.Equal(steps, encoder.OutputSteps);
        Assert.Equal(new long[] { 1, steps, 8 }, encoder.forward(randn(1, window, 6)).shape);
    }

    [Fact]
    public void Backward_MicroConfig_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        using var encoder = new AudioEncoder(TestConfigs.Micro);
        GradientAssert.ProbeLoss(encoder.forward(randn(3, 8, 6))).backward();
        GradientAssert.EveryParameterHasGradient(encoder);
    }

    [Theory]
    [InlineData(1, 8, 5)]
    [InlineData(1, 7, 6)]
    public void Forward_WrongWindowOrFeatureSize_Throws(long b, long w, long a)
    {
        using var scope = NewDisposeScope();
        using var encoder = new AudioEncoder(TestConfigs.Micro);
        Assert.Throws<ArgumentException>(() => encoder.forward(zeros([b, w, a])));
    }
}
