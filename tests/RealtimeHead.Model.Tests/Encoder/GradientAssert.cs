using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Encoder;

/// <summary>Checks shared by the encoder and deformation tests.</summary>
internal static class GradientAssert
{
    /// <summary>After a backward pass: every parameter of <paramref name="module"/> holds a finite, non-zero gradient.</summary>
    public static void EveryParameterHasGradient(nn.Module module)
    {
        using var scope = NewDisposeScope();
        var parameters = module.named_parameters().ToList();
        Assert.NotEmpty(parameters);
        foreach (var (name, parameter) in parameters)
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} received no gradient");
            var magnitude = grad.abs().sum().item<double>();
            Assert.True(double.IsFinite(magnitude) && magnitude > 0, $"{name} has gradient magnitude {magnitude}");
        }
    }

    /// <summary>Σ output · fixed random probe: a scalar whose gradient is not annihilated by normalisation layers.</summary>
    public static Tensor ProbeLoss(Tensor output)
    {
        var probe = randn(output.shape);
        return (output * probe).sum();
    }
}
