using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Tensors;

/// <summary>torch.autograd.grad, added for StyleGAN2's R1 penalty (the model-disc helper).</summary>
public sealed class BindingAdditionsTests_disc
{
    [Fact]
    public void AutogradGrad_SumOfSquares_ReturnsTwoXAndLeavesGradUntouched()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, -2f, 3f }).requires_grad_();
        var y = (x * x).sum();

        var g = autograd.grad(y, x);

        Assert.Equal(new[] { 2f, -4f, 6f }, g.data<float>());
        Assert.Null(x.grad);
        Assert.False(g.requires_grad);
    }

    [Fact]
    public void AutogradGrad_CreateGraph_GivesDifferentiableGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, -2f, 3f }).requires_grad_();
        var y = (x * x * x).sum(); // dy/dx = 3x², d/dx Σ(3x²)² = 36x³

        var g = autograd.grad(y, x, create_graph: true);
        Assert.True(g.requires_grad);
        g.square().sum().backward();

        Assert.Equal(new[] { 36f, -288f, 972f }, x.grad!.data<float>());
    }

    [Fact]
    public void AutogradGrad_GradOutputs_WeightNonScalarOutput()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }).requires_grad_();
        var y = x * 5f;

        var g = autograd.grad([y], [x], [tensor(new[] { 1f, -3f })])[0]!;

        Assert.Equal(new[] { 5f, -15f }, g.data<float>());
    }

    [Fact]
    public void AutogradGrad_UnusedInput_ThrowsUnlessAllowed()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }).requires_grad_();
        var unused = tensor(new[] { 4f }).requires_grad_();

        var error = Assert.Throws<TorchException>(() => autograd.grad([(x * 2f).sum()], [x, unused]));
        Assert.Contains("1", error.Message);

        var grads = autograd.grad([(x * 2f).sum()], [x, unused], allow_unused: true);
        Assert.Equal(new[] { 2f, 2f }, grads[0]!.data<float>());
        Assert.Null(grads[1]);
    }

    [Fact]
    public void AutogradGrad_NonScalarOutputWithoutGradOutputs_Throws()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }).requires_grad_();

        Assert.Throws<TorchException>(() => autograd.grad(x * 2f, x));
    }
}
