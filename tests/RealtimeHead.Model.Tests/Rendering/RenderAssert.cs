using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Rendering;

/// <summary>Value assertions on tensors shared by the Camera, Rendering and SuperResolution tests.</summary>
internal static class RenderAssert
{
    /// <summary>Same shape and every element within <paramref name="tolerance"/>.</summary>
    public static void Close(float[] expected, Tensor actual, double tolerance)
    {
        var values = actual.detach().cpu().to(ScalarType.Float32).data<float>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]} (tolerance {tolerance})");
        }
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        Close(expected.detach().cpu().to(ScalarType.Float32).data<float>(), actual, tolerance);
    }

    public static void Shape(long[] expected, Tensor actual) => Assert.Equal(expected, actual.shape);

    /// <summary>Every parameter has a gradient with a nonzero element (call after backward).</summary>
    public static void EveryParameterHasGradient(nn.Module module)
    {
        var parameters = module.named_parameters().ToList();
        Assert.NotEmpty(parameters);
        foreach (var (name, parameter) in parameters)
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.True(grad!.abs().sum().ToDouble() > 0, $"{name} has an all-zero gradient");
        }
    }
}
