using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Discriminators;

internal static class DiscriminatorTestHelpers
{
    /// <summary>Small sizes for CPU tests: T = 3, 8-dim audio, 16-dim embeddings, 8 base channels.</summary>
    public static S3DNeRFConfig SmallConfig { get; } = S3DNeRFConfig.Tiny with
    {
        LipSyncFrames = 3,
        AudioFeatureDim = 8,
        LipSyncEmbedding = 16,
        DiscriminatorChannels = 8,
    };

    /// <summary>Every parameter of <paramref name="module"/> has a gradient with a non-zero entry.</summary>
    public static void AssertEveryParameterHasGradient(nn.Module module)
    {
        var count = 0;
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            using var magnitude = grad!.abs().sum();
            Assert.True(magnitude.item<double>() > 0, $"{name} has an all-zero gradient");
            count++;
        }
        Assert.True(count > 0, "the module has no parameters");
    }

    /// <summary>A scalar that depends on every element of <paramref name="output"/> with a different random weight.</summary>
    public static Tensor Probe(Tensor output) => (output * randn(output.shape)).sum();
}
