using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Tests.Autograd;

/// <summary>
/// Analytic gradients from libtorch's autograd against central finite differences, in float64, of a scalar
/// probe loss sum(f(x) · w) with a fixed random w (so every output element matters with a different weight).
/// </summary>
public sealed class GradientCheckTests
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    private static void CheckGradient(Func<Tensor, Tensor> function, long[] inputShape, int seed)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var x = randn(inputShape, ScalarType.Float64).requires_grad_();
        var probe = randn(function(x).shape, ScalarType.Float64);

        var loss = (function(x) * probe).sum();
        loss.backward();
        var analytic = x.grad!.data<double>();

        var values = x.detach().data<double>();
        var numeric = new double[values.Length];
        using (no_grad())
        {
            for (var i = 0; i < values.Length; i++)
            {
                numeric[i] = (Evaluate(values, i, +Step) - Evaluate(values, i, -Step)) / (2 * Step);
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            var scale = Math.Max(1, Math.Abs(numeric[i]));
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= Tolerance * scale * 100,
                $"d/dx[{i}]: autograd {analytic[i]}, finite difference {numeric[i]}");
        }
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3); // the check must not pass on all-zero gradients

        double Evaluate(double[] baseValues, int index, double delta)
        {
            using var inner = NewDisposeScope();
            var shifted = (double[])baseValues.Clone();
            shifted[index] += delta;
            return (function(tensor(shifted, inputShape)) * probe).sum().item<double>();
        }
    }

    [Fact]
    public void Conv2d_Gradient_MatchesFiniteDifferences()
    {
        manual_seed(11);
        using var weight = randn([3, 2, 3, 3], ScalarType.Float64);
        using var bias = randn([3], ScalarType.Float64);
        CheckGradient(x => F.conv2d(x, weight, bias, stride: 1, padding: 1), [1, 2, 5, 5], seed: 1);
    }

    [Fact]
    public void GridSample_GradientWrtInput_MatchesFiniteDifferences()
    {
        manual_seed(12);
        using var grid = rand([1, 4, 4, 2], ScalarType.Float64) * 1.8 - 0.9;
        CheckGradient(x => F.grid_sample(x, grid, align_corners: false), [1, 2, 4, 4], seed: 2);
    }

    [Fact]
    public void GridSample_GradientWrtGrid_MatchesFiniteDifferences()
    {
        manual_seed(13);
        using var image = randn([1, 2, 5, 5], ScalarType.Float64);
        // Keep sample points away from pixel centres' kinks by using generic random positions.
        CheckGradient(g => F.grid_sample(image, g.tanh() * 0.9, align_corners: true), [1, 3, 3, 2], seed: 3);
    }

    [Fact]
    public void LayerNorm_Gradient_MatchesFiniteDifferences()
    {
        manual_seed(14);
        using var weight = randn([6], ScalarType.Float64);
        using var bias = randn([6], ScalarType.Float64);
        CheckGradient(x => F.layer_norm(x, [6], weight, bias), [3, 6], seed: 4);
    }

    [Fact]
    public void Softmax_Gradient_MatchesFiniteDifferences() => CheckGradient(x => x.softmax(-1), [4, 5], seed: 5);

    [Fact]
    public void Cumprod_Gradient_MatchesFiniteDifferences() =>
        // The NeRF transmittance T_i = prod_{j<i} (1 - alpha_j) (S3D-NeRF Eq. 5) is a cumprod; keep factors away from 0.
        CheckGradient(x => (x.sigmoid() * 0.8 + 0.1).cumprod(1), [2, 6], seed: 6);

    [Fact]
    public void Backward_AccumulatesUntilZeroGrad()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        (x * x).sum().backward();
        (x * 3).sum().backward();
        Assert.Equal(new[] { 2 + 3.0, 4 + 3.0 }, x.grad!.data<double>());
        x.zero_grad();
        Assert.Null(x.grad);
    }

    [Fact]
    public void NoGrad_OperationsDoNotRequireGrad()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        using (no_grad())
        {
            Assert.False((x * 2).requires_grad);
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
        Assert.False((x * 2).detach().requires_grad);
    }
}
