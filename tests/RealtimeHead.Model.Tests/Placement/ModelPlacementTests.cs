using RealtimeHead.Model.Placement;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Placement;

public sealed class ModelPlacementTests
{
    [Theory]
    [InlineData(null, null, "cpu", InferencePrecision.Float32)]
    [InlineData("", "", "cpu", InferencePrecision.Float32)]
    [InlineData("cpu", "fp32", "cpu", InferencePrecision.Float32)]
    [InlineData("CPU", "Float32", "cpu", InferencePrecision.Float32)]
    [InlineData("cuda", "bf16", "cuda:0", InferencePrecision.BFloat16)]
    [InlineData(" Cuda:2 ", "BFLOAT16", "cuda:2", InferencePrecision.BFloat16)]
    [InlineData("cuda:0", "fp16", "cuda:0", InferencePrecision.Float16)]
    [InlineData("cuda:1", "half", "cuda:1", InferencePrecision.Float16)]
    [InlineData("cuda:3", "float16", "cuda:3", InferencePrecision.Float16)]
    public void Parse_KnownNames_GiveThePlacement(string? device, string? precision, string expectedDevice, InferencePrecision expectedPrecision)
    {
        var placement = ModelPlacement.Parse(device, precision);

        Assert.Equal(expectedDevice, placement.Device.ToString());
        Assert.Equal(expectedPrecision, placement.Precision);
        Assert.Equal(expectedDevice != "cpu", placement.IsCuda);
    }

    [Fact]
    public void Parse_BothMisspelt_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelPlacement.Parse("gpu", "int8"));

        Assert.Contains("device 'gpu' is not one of cpu, cuda, cuda:N", error.Message);
        Assert.Contains("precision 'int8' is not one of fp32, bf16, fp16", error.Message);
    }

    [Theory]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:1.5")]
    [InlineData("cuda:99999999999")]
    [InlineData("cpu:0")]
    [InlineData("tpu")]
    [InlineData("cuda 0")]
    public void TryParseDevice_Malformed_ReturnsFalse(string text)
    {
        Assert.False(ModelPlacement.TryParseDevice(text, out var device));
        Assert.Null(device);
        Assert.False(ModelPlacement.TryParse(text, "fp32", out var placement, out var error));
        Assert.Null(placement);
        Assert.Contains($"device '{text}'", error);
    }

    [Theory]
    [InlineData("fp64")]
    [InlineData("bf")]
    [InlineData("float")]
    [InlineData("int8")]
    public void TryParsePrecision_Unknown_ReturnsFalse(string text)
    {
        Assert.False(ModelPlacement.TryParsePrecision(text, out _));
    }

    [Fact]
    public void Constructor_CudaWithoutIndex_MeansCuda0()
    {
        var placement = new ModelPlacement(new Device(DeviceType.CUDA), InferencePrecision.BFloat16);

        Assert.Equal(new Device(DeviceType.CUDA, 0), placement.Device);
        Assert.Equal(ModelPlacement.Parse("cuda:0", "bf16"), placement);
        Assert.Equal("cuda:0 bf16", placement.ToString());
    }

    [Theory]
    [InlineData(InferencePrecision.Float32, ScalarType.Float32, "fp32")]
    [InlineData(InferencePrecision.BFloat16, ScalarType.BFloat16, "bf16")]
    [InlineData(InferencePrecision.Float16, ScalarType.Float16, "fp16")]
    public void ComputeType_EachPrecision_IsItsTensorType(InferencePrecision precision, ScalarType type, string name)
    {
        Assert.Equal(type, new ModelPlacement(CUDA, precision).ComputeType);
        Assert.Equal(name, ModelPlacement.Name(precision));
    }

    [Fact]
    public void EnsureAvailable_CudaWithoutCuda_SaysHowToGetIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelPlacement.Parse("cuda").EnsureAvailable(cudaDevices: 0));

        Assert.Contains("device cuda:0 was asked for, but CUDA is not available", error.Message);
        Assert.Contains("Use device cpu", error.Message);
        Assert.Contains("TorchCMakePrefixPath", error.Message);
    }

    [Fact]
    public void EnsureAvailable_IndexBeyondTheGpus_NamesTheRange()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelPlacement.Parse("cuda:2").EnsureAvailable(cudaDevices: 2));

        Assert.Equal("device cuda:2 does not exist: this machine has 2 CUDA device(s) (cuda:0 to cuda:1)", error.Message);
    }

    [Theory]
    [InlineData("bf16")]
    [InlineData("fp16")]
    public void EnsureAvailable_ReducedPrecisionOnCpu_Throws(string precision)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ModelPlacement.Parse("cpu", precision).EnsureAvailable(cudaDevices: 4));

        Assert.StartsWith($"precision {precision} needs a CUDA device: inference on the CPU runs in fp32", error.Message);
    }

    [Fact]
    public void EnsureAvailable_UsablePlacements_ReturnThemselves()
    {
        var gpu = ModelPlacement.Parse("cuda:1", "bf16");
        Assert.Same(gpu, gpu.EnsureAvailable(cudaDevices: 2));
        Assert.Same(ModelPlacement.Cpu, ModelPlacement.Cpu.EnsureAvailable(cudaDevices: 0));
        Assert.Same(ModelPlacement.Cpu, ModelPlacement.Cpu.EnsureAvailable());
    }

    [Fact]
    public void EnsureAvailable_ThisProcess_AgreesWithLibtorch()
    {
        var placement = ModelPlacement.Parse("cuda");
        if (cuda.is_available())
        {
            Assert.Same(placement, placement.EnsureAvailable());
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => placement.EnsureAvailable());
        }
    }
}
