using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Tests.Tensors;

/// <summary>
/// The same checks on every device libtorch offers here: CPU always, CUDA when the shim was built against a CUDA
/// libtorch on a GPU machine (TorchSharp's habit: GPU tests compile the same sources as CPU tests).
/// </summary>
public sealed class DeviceTests
{
    public static TheoryData<string> Devices()
    {
        var devices = new TheoryData<string> { "cpu" };
        if (cuda.is_available()) devices.Add("cuda:0");
        return devices;
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Matmul_OnDevice_MatchesCpuResult(string name)
    {
        using var scope = NewDisposeScope();
        var target = device(name);
        manual_seed(21);
        var a = randn(64, 32);
        var b = randn(32, 16);
        var expected = a.matmul(b).data<float>();
        var actual = a.to(target).matmul(b.to(target));
        Assert.Equal(target.type, actual.device_type);
        var values = actual.cpu().data<float>();
        for (var i = 0; i < values.Length; i++) Assert.Equal(expected[i], values[i], 3);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void TriPlaneLookup_TrainsOnDevice(string name)
    {
        using var scope = NewDisposeScope();
        var target = device(name);
        manual_seed(22);
        var planes = randn([3, 8, 16, 16], device: target).requires_grad_();
        var grid = (rand([3, 1, 100, 2], device: target) * 2 - 1);
        var features = F.grid_sample(planes, grid, align_corners: false).sum(0);
        features.square().mean().backward();
        Assert.Equal(new long[] { 8, 1, 100 }, features.shape);
        Assert.Equal(target.type, planes.grad!.device_type);
        Assert.True(planes.grad.abs().sum().item<float>() > 0);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void BFloat16Linear_RunsAndStaysClose(string name)
    {
        using var scope = NewDisposeScope();
        var target = device(name);
        manual_seed(23);
        var x = randn(8, 16);
        var w = randn(4, 16);
        var full = F.linear(x, w).data<float>();
        var reduced = F.linear(x.to(ScalarType.BFloat16, target), w.to(ScalarType.BFloat16, target));
        Assert.Equal(ScalarType.BFloat16, reduced.dtype);
        var values = reduced.to(ScalarType.Float32, CPU).data<float>();
        // bfloat16 keeps 8 significant bits: sums of 16 products stay within a few percent of float32.
        for (var i = 0; i < values.Length; i++) Assert.True(Math.Abs(values[i] - full[i]) <= 0.05 * Math.Abs(full[i]) + 0.1, $"{values[i]} vs {full[i]}");
    }
}
